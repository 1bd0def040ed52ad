package dev.warren.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.BrokerException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading RabbitMQ's definitions format, and what AccessControl makes of it. */
class DefinitionsTest {

  @Test
  void usersVhostsAndPermissionsAreRead() {
    Definitions definitions =
        Definitions.parse(
            """
            {"users": [{"name": "a", "password": "pw", "tags": "administrator, monitoring"},
                       {"name": "b", "password_hash": "", "tags": ["x"]}],
             "vhosts": [{"name": "/"}, {"name": "v2"}],
             "permissions": [{"user": "a", "vhost": "v2", "configure": "^a-", "write": "", "read": ".*"}],
             "policies": [{"ignored": true}]}
            """);

    assertEquals(Set.of("/", "v2"), definitions.virtualHosts());
    assertEquals(List.of("administrator", "monitoring"), definitions.users().get("a").tags());
    assertEquals(List.of("x"), definitions.users().get("b").tags());
    AccessControl access = new AccessControl(definitions);
    assertTrue(access.authenticate("a", "pw"));
    assertFalse(access.authenticate("b", ""));
    assertTrue(access.userExists("b"));
    access.checkVirtualHostAccess("a", "v2");
    assertThrows(BrokerException.class, () -> access.checkVirtualHostAccess("a", "/"));
  }

  @Test
  void patternsMatchAnywhereUnlessAnchoredAndEmptyMatchesNothing() {
    Permission permission = Permission.of("^a-", "", "b");

    assertTrue(permission.permits(Permission.Kind.CONFIGURE, "a-queue"));
    assertFalse(permission.permits(Permission.Kind.CONFIGURE, "the-a-queue"));
    assertFalse(permission.permits(Permission.Kind.WRITE, "anything"));
    assertTrue(permission.permits(Permission.Kind.READ, "abc"));
  }

  @Test
  void theDefaultExchangeIsCheckedAsAmqDefault() {
    AccessControl access =
        new AccessControl(
            Definitions.parse(
                """
                {"users": [{"name": "u", "password": "p"}], "vhosts": [{"name": "/"}],
                 "permissions": [{"user": "u", "vhost": "/", "configure": "", "write": "^amq\\\\.default$", "read": ""}]}
                """));

    access.check("u", "/", Permission.Kind.WRITE, AccessControl.Resource.EXCHANGE, "");
    BrokerException refused =
        assertThrows(
            BrokerException.class,
            () -> access.check("u", "/", Permission.Kind.WRITE, AccessControl.Resource.QUEUE, ""));
    assertEquals("access to queue '' in vhost '/' refused for user 'u'", refused.getMessage());
  }

  @Test
  void brokenFilesAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> Definitions.parse("{\"users\": [1]}"));
    assertThrows(IllegalArgumentException.class, () -> Definitions.parse("[]"));
    assertThrows(IllegalArgumentException.class, () -> Definitions.parse("{\"users\": "));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Definitions.parse(
                "{\"vhosts\": [{\"name\": \"/\"}], \"permissions\": [{\"user\": \"ghost\","
                    + " \"vhost\": \"/\"}]}"));
    assertThrows(IllegalArgumentException.class, () -> Definitions.parse("[".repeat(100)));
  }
}
