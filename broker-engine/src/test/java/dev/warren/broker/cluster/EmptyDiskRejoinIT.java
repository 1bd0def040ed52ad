package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose disk is lost: killed, its data directory deleted, started again with the same id and
 * peers. The others refill it from their logs: the metadata (an exchange, a binding, a classic
 * queue's declaration) and the quorum queue's messages; then it is a full member, enough with one
 * other node to serve every confirmed message after the third is killed.
 */
class EmptyDiskRejoinIT {
  private static final System.Logger LOG = System.getLogger(EmptyDiskRejoinIT.class.getName());
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int MESSAGES = 500;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path directory;

  @Test
  void aNodeGoneWithAnEmptyDiskIsRefilledAndLosesNothing() throws Exception {
    try (ClusterNodes nodes =
        ClusterNodes.start(directory, "empty-disk-it", 3, "--cluster-quorum-shards", "1")) {
      try (Connection connection = nodes.connect(0)) {
        Channel channel = connection.createChannel();
        channel.exchangeDeclare("refill-x", "direct", true);
        channel.queueDeclare("refilled", true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind("refilled", "refill-x", "k");
        channel.queueDeclare("refill-classic", true, false, false, null);
        publish(channel, 0, MESSAGES);
      }

      nodes.kill(2);
      nodes.wipe(2);
      long started = System.nanoTime();
      nodes.restart(2);
      long restart = (System.nanoTime() - started) / 1_000_000;
      long refill =
          Deadline.await(
              WAIT, "the quorum queue refilled on the new disk", () -> messages(nodes) == MESSAGES);
      try (Connection connection = nodes.connect(2)) {
        Channel channel = connection.createChannel();
        channel.exchangeDeclarePassive("refill-x");
        channel.queueDeclarePassive("refill-classic");
        publish(channel, MESSAGES, 1); // routed by the binding the node got back
      }

      nodes.kill(0); // the refilled node and node 1 are the majority now
      Set<Long> received = new HashSet<>();
      try (Connection connection = nodes.connect(2)) {
        Channel channel = connection.createChannel();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.size() < MESSAGES + 1 && System.nanoTime() < deadline) {
          GetResponse got = channel.basicGet("refilled", true);
          if (got != null) {
            received.add(ByteBuffer.wrap(got.getBody()).getLong());
          } else {
            Thread.sleep(20); // a poll, until the deadline
          }
        }
      }
      LOG.log(
          System.Logger.Level.INFO,
          "Empty disk: node started again in {0} ms, its quorum queue refilled {1} ms later;"
              + " {2} confirmed, {3} lost",
          restart,
          refill,
          MESSAGES + 1,
          MESSAGES + 1 - received.size());
      assertEquals(MESSAGES + 1, received.size());
    }
  }

  private static void publish(Channel channel, long first, int count) throws Exception {
    channel.confirmSelect();
    for (long id = first; id < first + count; id++) {
      channel.basicPublish(
          "refill-x",
          "k",
          MessageProperties.PERSISTENT_BASIC,
          ByteBuffer.allocate(Long.BYTES).putLong(id).array());
      if ((id - first) % 100 == 99) {
        // in small windows: each append must reach a majority within 10 s, even on a loaded machine
        channel.waitForConfirmsOrDie(WAIT.toMillis());
      }
    }
    channel.waitForConfirmsOrDie(WAIT.toMillis());
  }

  /** The quorum queue's message count on the refilled node's own replica. */
  private static long messages(ClusterNodes nodes) throws Exception {
    try (Connection connection = nodes.connect(2)) {
      return connection.createChannel().queueDeclarePassive("refilled").getMessageCount();
    }
  }
}
