package dev.warren.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsDocument;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.DefinitionsValidator;
import dev.warren.broker.definitions.InvalidDefinitionException;
import dev.warren.broker.definitions.VirtualHostDefinition;
import dev.warren.broker.engine.api.BrokerException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reading RabbitMQ's definitions format, and what AccessControl makes of it. */
class DefinitionsTest {

  /** The state a fresh broker would start with from this document. */
  private static DefinitionsState load(String json) {
    DefinitionsState state = DefinitionsState.EMPTY;
    for (DefinitionChange change : DefinitionsDocument.parse(json, null).changes()) {
      DefinitionsValidator.check(state, change);
      state = state.apply(change);
    }
    return state;
  }

  @Test
  void usersVhostsAndPermissionsAreRead() {
    DefinitionsState definitions =
        load(
            """
            {"users": [{"name": "a", "password": "pw", "tags": "administrator, monitoring"},
                       {"name": "b", "password_hash": "", "tags": ["x"]}],
             "vhosts": [{"name": "/"}, {"name": "v2"}],
             "permissions": [{"user": "a", "vhost": "v2", "configure": "^a-", "write": "", "read": ".*"}],
             "policies": [{"vhost": "v2", "name": "p", "pattern": "^q", "definition": {"max-length": 1}}]}
            """);

    assertEquals(
        Set.of("/", "v2"),
        definitions.virtualHosts().stream()
            .map(VirtualHostDefinition::name)
            .collect(Collectors.toSet()));
    assertEquals(List.of("administrator", "monitoring"), definitions.user("a").tags());
    assertEquals(List.of("x"), definitions.user("b").tags());
    assertEquals("^q", definitions.policy("v2", "p").pattern());
    AccessControl access = new AccessControl(() -> definitions);
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
    DefinitionsState definitions =
        load(
            """
            {"users": [{"name": "u", "password": "p"}], "vhosts": [{"name": "/"}],
             "permissions": [{"user": "u", "vhost": "/", "configure": "", "write": "^amq\\\\.default$", "read": ""}]}
            """);
    AccessControl access = new AccessControl(() -> definitions);

    access.check("u", "/", Permission.Kind.WRITE, AccessControl.Resource.EXCHANGE, "");
    BrokerException refused =
        assertThrows(
            BrokerException.class,
            () -> access.check("u", "/", Permission.Kind.WRITE, AccessControl.Resource.QUEUE, ""));
    assertEquals("access to queue '' in vhost '/' refused for user 'u'", refused.getMessage());
  }

  @Test
  void brokenFilesAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> load("{\"users\": [1]}"));
    assertThrows(IllegalArgumentException.class, () -> load("[]"));
    assertThrows(IllegalArgumentException.class, () -> load("{\"users\": "));
    assertThrows(
        InvalidDefinitionException.class,
        () ->
            load(
                "{\"vhosts\": [{\"name\": \"/\"}], \"permissions\": [{\"user\": \"ghost\","
                    + " \"vhost\": \"/\"}]}"));
    assertThrows(IllegalArgumentException.class, () -> load("[".repeat(100)));
  }
}
