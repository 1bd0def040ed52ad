package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three standalone brokers on loopback form a cluster by themselves; topology declared through any
 * node is decided by the metadata log and seen by every node. The last tests stop nodes, so the
 * order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedMetadataIT {
  private static final String CLUSTER = "metadata-it";
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir static Path directory;
  private static ClusterNodes nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = ClusterNodes.start(directory, CLUSTER, 3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void connectionStartCarriesTheClusterName() throws Exception {
    try (Connection connection = connect(1)) {
      assertEquals(CLUSTER, connection.getServerProperties().get("cluster_name").toString());
    }
  }

  @Test
  @Order(2)
  void aDeclareOnOneNodeIsVisibleOnEveryNode() throws Exception {
    try (Connection first = connect(0)) {
      Channel channel = first.createChannel();
      channel.exchangeDeclare("orders", "topic", true);
      channel.queueDeclare("orders.eu", true, false, false, Map.of("x-max-length", 10));
      channel.queueBind("orders.eu", "orders", "eu.#");
    }
    for (int node = 0; node < 3; node++) {
      try (Connection connection = connect(node)) {
        Channel channel = connection.createChannel();
        channel.exchangeDeclarePassive("orders");
        channel.queueDeclarePassive("orders.eu");
        // the binding is there too: deleting its exchange if unused is refused on every node
        Channel refused = connection.createChannel();
        IOException inUse =
            assertThrows(IOException.class, () -> refused.exchangeDelete("orders", true));
        assertEquals(406, ((AMQP.Channel.Close) shutdown(inUse).getReason()).getReplyCode());
      }
    }
  }

  @Test
  @Order(2)
  void methodsSentWithoutWaitingAreHandledInOrderAfterTheLogDecided() throws Exception {
    try (Connection connection = connect(1)) {
      Channel channel = connection.createChannel();
      // no waiting for declare-ok: the bind and the publish arrive while the log decides
      channel.queueDeclareNoWait("pipelined", true, false, false, null);
      channel.queueBind("pipelined", "amq.direct", "pipelined-key");
      channel.basicPublish("amq.direct", "pipelined-key", null, new byte[] {42});
      GetResponse got = channel.basicGet("pipelined", true);
      assertNotNull(got, "the publish was routed through the binding declared before it");
      assertEquals(42, got.getBody()[0]);
    }
  }

  @Test
  @Order(3)
  void aRedeclareWithOtherArgumentsIsRefusedOnAnotherNode() throws Exception {
    try (Connection connection = connect(2)) {
      Channel channel = connection.createChannel();
      IOException refused =
          assertThrows(
              IOException.class,
              () ->
                  channel.queueDeclare(
                      "orders.eu", true, false, false, Map.of("x-max-length", 20)));
      AMQP.Channel.Close close = (AMQP.Channel.Close) shutdown(refused).getReason();
      assertEquals(406, close.getReplyCode());
      assertTrue(close.getReplyText().contains("x-max-length"), close.getReplyText());
    }
  }

  @Test
  @Order(4)
  void aDeleteOnOneNodeRemovesTheQueueEverywhere() throws Exception {
    try (Connection connection = connect(0)) {
      connection.createChannel().queueDeclare("short-lived", true, false, false, null);
    }
    try (Connection connection = connect(2)) {
      connection.createChannel().queueDelete("short-lived");
    }
    try (Connection connection = connect(1)) {
      Channel channel = connection.createChannel();
      IOException missing =
          assertThrows(IOException.class, () -> channel.queueDeclarePassive("short-lived"));
      assertEquals(404, ((AMQP.Channel.Close) shutdown(missing).getReason()).getReplyCode());
    }
  }

  @Test
  @Order(5)
  void anExclusiveQueueIsLockedOnOtherNodesAndGoesWithItsConnection() throws Exception {
    String name;
    try (Connection owner = connect(0)) {
      name = owner.createChannel().queueDeclare().getQueue();
      assertTrue(name.startsWith("amq.gen-"), name);
      try (Connection other = connect(1)) {
        // node 1 applies the declaration a moment after node 0 answered: 404 until then
        Deadline.await(
            DEADLINE,
            "node 1 refuses the exclusive queue with 405",
            () -> {
              Channel channel = other.createChannel();
              IOException locked =
                  assertThrows(IOException.class, () -> channel.queueDeclarePassive(name));
              int code = ((AMQP.Channel.Close) shutdown(locked).getReason()).getReplyCode();
              if (code != 404) {
                assertEquals(405, code);
              }
              return code == 405;
            });
      }
    }
    awaitAbsent(1, name);
    awaitAbsent(2, name);
  }

  @Test
  @Order(6)
  void aRestartedNodeCatchesUpWithWhatChangedWhileItWasDown() throws Exception {
    try (Connection connection = connect(0)) {
      connection.createChannel().queueDeclare("before-restart", true, false, false, null);
    }
    nodes.stop(2);
    try (Connection connection = connect(0)) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("while-down", true, false, false, null);
      channel.queueDelete("before-restart");
    }
    nodes.restart(2);
    try (Connection connection = connect(2)) {
      connection.createChannel().queueDeclarePassive("while-down");
      Channel channel = connection.createChannel();
      assertThrows(IOException.class, () -> channel.queueDeclarePassive("before-restart"));
    }
  }

  @Test
  @Order(7)
  void aNodeCutOffFromTheMajorityRefusesTopologyChanges() throws Exception {
    nodes.stop(1);
    nodes.stop(2);
    Connection connection = connect(0);
    try {
      Channel channel = connection.createChannel();
      channel.queueDeclarePassive("while-down"); // reads still work
      IOException refused =
          assertThrows(
              IOException.class, () -> channel.queueDeclare("minority", true, false, false, null));
      AMQP.Connection.Close close = (AMQP.Connection.Close) shutdown(refused).getReason();
      assertEquals(541, close.getReplyCode());
      assertEquals(
          "INTERNAL_ERROR - failed to declare queue 'minority' in vhost '/' because the"
              + " operation timed out",
          close.getReplyText());
    } finally {
      connection.abort();
    }
  }

  private static void awaitAbsent(int node, String queue) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection connection = connect(node)) {
        try {
          connection.createChannel().queueDeclarePassive(queue);
        } catch (IOException gone) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("queue " + queue + " still on node " + node);
  }

  private static ShutdownSignalException shutdown(IOException e) {
    return (ShutdownSignalException) e.getCause();
  }

  private static Connection connect(int node) throws IOException, TimeoutException {
    return nodes.connect(node);
  }
}
