package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Users, vhosts, permissions and limits changed through the API take effect at once, as real AMQP
 * clients see it.
 */
class RuntimeDefinitionsTest {
  private static TestBroker broker;
  private static ManagementClient admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
    admin = new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aRevokedWritePermissionRefusesTheNextPublishWith403() throws Exception {
    String user = userWithAllPermissions("/");
    try (Connection connection = factory(user, "/").newConnection()) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.basicPublish("amq.direct", "k", null, "before".getBytes(StandardCharsets.UTF_8));
      assertTrue(channel.waitForConfirms(5000));

      assertEquals(
          204,
          admin
              .put(
                  "/api/permissions/%2F/" + user,
                  Map.of("configure", ".*", "write", "^nothing$", "read", ".*"))
              .status());

      channel.basicPublish("amq.direct", "k", null, "after".getBytes(StandardCharsets.UTF_8));
      Exception refused = assertThrows(Exception.class, () -> channel.waitForConfirms(5000));
      AMQP.Channel.Close close = channelClose(refused);
      assertEquals(403, close.getReplyCode());
      assertEquals(
          "ACCESS_REFUSED - access to exchange 'amq.direct' in vhost '/' refused for user '"
              + user
              + "'",
          close.getReplyText());
    }
  }

  @Test
  void aDeletedUsersConnectionsAreClosedWith320() throws Exception {
    String user = userWithAllPermissions("/");
    Connection connection = factory(user, "/").newConnection();
    try {
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);

      assertEquals(204, admin.delete("/api/users/" + user).status());

      ShutdownSignalException signal = closed.get(5, TimeUnit.SECONDS);
      AMQP.Connection.Close close =
          assertInstanceOf(AMQP.Connection.Close.class, signal.getReason());
      assertEquals(320, close.getReplyCode());
      assertEquals("CONNECTION_FORCED - user '" + user + "' is deleted", close.getReplyText());
    } finally {
      connection.abort();
    }
    assertEquals(404, admin.get("/api/users/" + user).status());
  }

  @Test
  void aDeletedVhostTakesItsQueuesAndClosesItsConnections() throws Exception {
    String vhost = "v-" + UUID.randomUUID();
    assertEquals(201, admin.put("/api/vhosts/" + vhost, Map.of()).status());
    assertEquals(
        ".*",
        admin.get("/api/permissions/" + vhost + "/guest").json().get("write").asText(),
        "as with RabbitMQ, the vhost's creator may use it");
    Connection connection = factory("guest", vhost).newConnection();
    try {
      connection.createChannel().queueDeclare("doomed", true, false, false, null);
      assertEquals(200, admin.get("/api/queues/" + vhost + "/doomed").status());
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);

      assertEquals(204, admin.delete("/api/vhosts/" + vhost).status());

      AMQP.Connection.Close close =
          assertInstanceOf(
              AMQP.Connection.Close.class, closed.get(5, TimeUnit.SECONDS).getReason());
      assertEquals(320, close.getReplyCode());
      assertEquals("CONNECTION_FORCED - vhost '" + vhost + "' is deleted", close.getReplyText());
    } finally {
      connection.abort();
    }
    assertEquals(404, admin.get("/api/queues/" + vhost + "/doomed").status());
    assertTrue(
        admin.get("/api/queues").json().findValues("vhost").stream()
            .noneMatch(v -> v.asText().equals(vhost)));
    IOException refused =
        assertThrows(IOException.class, () -> factory("guest", vhost).newConnection());
    assertFalse(refused.getMessage() == null && refused.getCause() == null);
  }

  @Test
  void vhostLimitsRefuseTheNextQueueAndConnection() throws Exception {
    String vhost = "limited-" + UUID.randomUUID();
    admin.put("/api/vhosts/" + vhost, Map.of());
    admin.put(
        "/api/permissions/" + vhost + "/guest",
        Map.of("configure", ".*", "write", ".*", "read", ".*"));
    try (Connection connection = factory("guest", vhost).newConnection()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("first", false, false, false, null);
      assertEquals(
          204,
          admin.put("/api/vhost-limits/" + vhost + "/max-queues", Map.of("value", 1)).status());
      assertEquals(
          204,
          admin
              .put("/api/vhost-limits/" + vhost + "/max-connections", Map.of("value", 1))
              .status());

      IOException refused =
          assertThrows(
              IOException.class, () -> channel.queueDeclare("second", false, false, false, null));
      assertEquals(406, channelClose(refused).getReplyCode());
      IOException noConnection =
          assertThrows(IOException.class, () -> factory("guest", vhost).newConnection());
      AMQP.Connection.Close close = connectionClose(noConnection);
      assertEquals(530, close.getReplyCode());
      assertEquals(
          "NOT_ALLOWED - access to vhost '"
              + vhost
              + "' refused for user 'guest': connection limit (1) is reached",
          close.getReplyText());
    }
    assertEquals(
        List.of(Map.of("vhost", vhost, "value", Map.of("max-queues", 1, "max-connections", 1))),
        new com.fasterxml.jackson.databind.ObjectMapper()
            .convertValue(admin.get("/api/vhost-limits/" + vhost).json(), List.class));
  }

  @Test
  void aNewUserCanLogInAtOnceAndAManagementUserSeesOnlyItsVhosts() throws Exception {
    String user = userWithAllPermissions("/");
    try (Connection connection = factory(user, "/").newConnection()) {
      assertTrue(connection.isOpen());
    }
    String other = "hidden-" + UUID.randomUUID();
    admin.put("/api/vhosts/" + other, Map.of());
    ManagementClient managementUser = admin.as(user, "secret");
    List<String> vhosts = managementUser.get("/api/vhosts").json().findValuesAsText("name");
    assertEquals(List.of("/"), vhosts);
    assertEquals(401, managementUser.get("/api/users").status());
    assertEquals(401, managementUser.get("/api/queues/" + other).status());
    admin.delete("/api/vhosts/" + other);
  }

  private static String userWithAllPermissions(String vhost) {
    String user = "u-" + UUID.randomUUID();
    assertEquals(
        201,
        admin
            .put("/api/users/" + user, Map.of("password", "secret", "tags", "management"))
            .status());
    assertEquals(
        201,
        admin
            .put(
                "/api/permissions/" + ManagementClient.encode(vhost) + "/" + user,
                Map.of("configure", ".*", "write", ".*", "read", ".*"))
            .status());
    return user;
  }

  private static ConnectionFactory factory(String user, String vhost) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setUsername(user);
    factory.setPassword(user.equals("guest") ? "guest" : "secret");
    factory.setVirtualHost(vhost);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5000);
    factory.setChannelRpcTimeout(5000);
    return factory;
  }

  private static AMQP.Channel.Close channelClose(Throwable failure) {
    return (AMQP.Channel.Close) signal(failure).getReason();
  }

  private static AMQP.Connection.Close connectionClose(Throwable failure) {
    return (AMQP.Connection.Close) signal(failure).getReason();
  }

  private static ShutdownSignalException signal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException signal) {
        return signal;
      }
    }
    throw new AssertionError("no shutdown signal behind " + failure, failure);
  }
}
