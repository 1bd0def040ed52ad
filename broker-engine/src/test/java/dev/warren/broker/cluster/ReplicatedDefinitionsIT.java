package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.ManagementClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, virtual hosts, permissions and policies in a three-node cluster (separate processes) are
 * decided by the metadata log: made through one node's management API, they take effect on the
 * others, for real clients. The last tests stop nodes, so the order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedDefinitionsIT {
  private static final Duration VISIBLE = Duration.ofSeconds(20);

  @TempDir static Path directory;
  private static ClusterNodes nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = ClusterNodes.start(directory, "definitions-it", 3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void aUserVhostAndPermissionMadeOnThreeNodesLetTheUserInOnEveryNode() throws Exception {
    assertEquals(201, api(1).put("/api/vhosts/orders", Map.of()).status());
    assertEquals(
        201,
        api(0)
            .put("/api/users/app", Map.of("password", "app-secret", "tags", "management"))
            .status());
    // a node answers from what it has applied: node 2 sees the others' changes a moment later
    Deadline.await(
        VISIBLE,
        "node 2 knows user app and vhost orders",
        () ->
            api(2).get("/api/users/app").status() == 200
                && api(2).get("/api/vhosts/orders").status() == 200);
    assertEquals(
        201,
        api(2)
            .put(
                "/api/permissions/orders/app",
                Map.of("configure", "^app\\.", "write", ".*", "read", ".*"))
            .status());

    for (int node = 0; node < 3; node++) {
      int index = node;
      Deadline.await(VISIBLE, "app logs in to orders on node " + node, () -> logsIn(index));
      try (Connection connection = connect(node, "app", "app-secret", "orders")) {
        connection.createChannel().queueDeclare("app.q" + node, true, false, false, null);
      }
      JsonNode user = api(node).get("/api/users/app").json();
      assertEquals("management", user.get("tags").get(0).asText(), user.toString());
    }
  }

  @Test
  @Order(2)
  void aPermissionChangedOnOneNodeIsEnforcedOnAnother() throws Exception {
    try (Connection connection = connect(2, "app", "app-secret", "orders")) {
      Channel channel = connection.createChannel();
      IOException refused =
          assertThrows(
              IOException.class, () -> channel.queueDeclare("elsewhere", true, false, false, null));
      AMQP.Channel.Close close = (AMQP.Channel.Close) shutdown(refused).getReason();
      assertEquals(403, close.getReplyCode());
    }

    assertEquals(
        204,
        api(0)
            .put(
                "/api/permissions/orders/app",
                Map.of("configure", ".*", "write", ".*", "read", ".*"))
            .status());

    Deadline.await(
        VISIBLE,
        "node 2 lets app configure any queue",
        () -> {
          try (Connection connection = connect(2, "app", "app-secret", "orders")) {
            connection.createChannel().queueDeclare("elsewhere", true, false, false, null);
            return true;
          } catch (IOException stillRefused) {
            return false;
          }
        });
  }

  @Test
  @Order(3)
  void aPolicySetOnOneNodeAppliesToAQueueOnAnother() throws Exception {
    try (Connection connection = connect(2, "app", "app-secret", "orders")) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("app.limited", true, false, false, null);
      channel.confirmSelect();
      for (int i = 0; i < 5; i++) {
        channel.basicPublish("", "app.limited", null, new byte[] {(byte) i});
      }
      channel.waitForConfirmsOrDie(10_000);
      assertEquals(5, channel.queueDeclarePassive("app.limited").getMessageCount());
    }

    assertEquals(
        201,
        api(0)
            .put(
                "/api/policies/orders/limit",
                Map.of(
                    "pattern",
                    "^app\\.limited$",
                    "apply-to",
                    "queues",
                    "definition",
                    Map.of("max-length", 2)))
            .status());

    Deadline.await(
        VISIBLE,
        "the policy trims the queue on node 2",
        () -> {
          try (Connection connection = connect(2, "app", "app-secret", "orders")) {
            return connection.createChannel().queueDeclarePassive("app.limited").getMessageCount()
                == 2;
          }
        });
    JsonNode queue = api(2).get("/api/queues/orders/app.limited").json();
    assertEquals("limit", queue.get("policy").asText(), queue.toString());
  }

  @Test
  @Order(4)
  void aVhostCreatedOnOneNodeServesQuorumQueuesOnTheOthers() throws Exception {
    assertEquals(201, api(1).put("/api/vhosts/replicated", Map.of()).status());

    Deadline.await(
        VISIBLE,
        "node 0 knows vhost replicated",
        () -> api(0).get("/api/vhosts/replicated").status() == 200);
    try (Connection connection = connect(0, "guest", "guest", "replicated")) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("qq", true, false, false, Map.of("x-queue-type", "quorum"));
      channel.confirmSelect();
      channel.basicPublish("", "qq", null, "across".getBytes());
      channel.waitForConfirmsOrDie(30_000);
    }
    assertEquals("quorum", api(0).get("/api/queues/replicated/qq").json().get("type").asText());
    try (Connection connection = connect(2, "guest", "guest", "replicated")) {
      GetResponse got = connection.createChannel().basicGet("qq", true);
      assertNotNull(got, "node 2 serves the quorum queue declared on node 0");
      assertEquals("across", new String(got.getBody()));
    }
  }

  @Test
  @Order(5)
  void aUserDeletedOnOneNodeIsClosedOutOnEveryNode() throws Exception {
    assertEquals(
        201, api(0).put("/api/users/temp", Map.of("password", "temp-secret", "tags", "")).status());
    assertEquals(
        201,
        api(0)
            .put(
                "/api/permissions/orders/temp",
                Map.of("configure", ".*", "write", ".*", "read", ".*"))
            .status());
    Deadline.await(
        VISIBLE,
        "temp logs in on node 2",
        () -> {
          try (Connection ignored = connect(2, "temp", "temp-secret", "orders")) {
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
    Connection connection = connect(2, "temp", "temp-secret", "orders");
    try {
      assertEquals(204, api(1).delete("/api/users/temp").status());

      Deadline.await(VISIBLE, "node 2 closes temp's connection", () -> !connection.isOpen());
      assertEquals(
          320, ((AMQP.Connection.Close) connection.getCloseReason().getReason()).getReplyCode());
      // node 0 applies the deletion a moment later (the API answered once node 1 had): until then
      // it may still know the user, or know it without its permissions
      Deadline.await(
          VISIBLE,
          "node 0 refuses temp's login",
          () -> {
            try (Connection ignored = connect(0, "temp", "temp-secret", "orders")) {
              return false;
            } catch (PossibleAuthenticationFailureException refused) {
              return true;
            } catch (IOException notYet) {
              return false;
            }
          });
    } finally {
      connection.abort();
    }
  }

  @Test
  @Order(6)
  void aNodeThatWasDownCatchesUpWithTheDefinitions() throws Exception {
    nodes.stop(2);
    assertEquals(201, api(0).put("/api/vhosts/late", Map.of()).status());
    assertEquals(
        201, api(1).put("/api/users/late", Map.of("password", "late-secret", "tags", "")).status());
    assertEquals(
        201,
        api(0)
            .put(
                "/api/permissions/late/late",
                Map.of("configure", ".*", "write", ".*", "read", ".*"))
            .status());
    assertEquals(
        201,
        api(1)
            .put(
                "/api/policies/late/ttl",
                Map.of(
                    "pattern",
                    ".*",
                    "apply-to",
                    "queues",
                    "definition",
                    Map.of("message-ttl", 60000)))
            .status());
    assertEquals(204, api(0).delete("/api/vhosts/replicated").status());

    nodes.restart(2);

    try (Connection connection = connect(2, "late", "late-secret", "late")) {
      connection.createChannel().queueDeclare("after-restart", true, false, false, null);
    }
    assertEquals(200, api(2).get("/api/policies/late/ttl").status());
    assertEquals(404, api(2).get("/api/vhosts/replicated").status());
  }

  @Test
  @Order(7)
  void aNodeRestartedOnAnEmptyDiskGetsTheDefinitionsBack() throws Exception {
    nodes.stop(1);
    nodes.wipe(1);
    nodes.restart(1);

    try (Connection connection = connect(1, "late", "late-secret", "late")) {
      connection.createChannel().queueDeclarePassive("after-restart");
    }
    try (Connection connection = connect(1, "app", "app-secret", "orders")) {
      connection.createChannel().queueDeclarePassive("app.limited");
    }
    JsonNode queue = api(1).get("/api/queues/orders/app.limited").json();
    assertEquals("limit", queue.get("policy").asText(), queue.toString());
  }

  @Test
  @Order(8)
  void aNodeCutOffFromTheMajorityRefusesDefinitionChanges() throws Exception {
    nodes.stop(1);
    nodes.stop(2);

    ManagementClient.Response refused =
        api(0).put("/api/users/lonely", Map.of("password", "x", "tags", ""));

    assertEquals(500, refused.status(), refused.body());
    assertEquals("internal_server_error", refused.json().get("error").asText());
    assertEquals(
        "failed to put user 'lonely' because the operation timed out",
        refused.json().get("reason").asText());
    assertEquals(404, api(0).get("/api/users/lonely").status(), "never applied on its own");
    try (Connection connection = connect(0, "app", "app-secret", "orders")) {
      // reads still work on a queue of its own (node 2's app.limited is now down, as RabbitMQ says)
      connection.createChannel().queueDeclarePassive("app.q0");
    }
  }

  private static boolean logsIn(int node) {
    try (Connection ignored = connect(node, "app", "app-secret", "orders")) {
      return true;
    } catch (Exception notYet) {
      return false;
    }
  }

  private static Connection connect(int node, String user, String password, String vhost)
      throws Exception {
    ConnectionFactory factory = nodes.factory(node);
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setVirtualHost(vhost);
    return factory.newConnection();
  }

  private static ManagementClient api(int node) {
    return nodes.management(node);
  }

  private static ShutdownSignalException shutdown(IOException e) {
    return (ShutdownSignalException) e.getCause();
  }
}
