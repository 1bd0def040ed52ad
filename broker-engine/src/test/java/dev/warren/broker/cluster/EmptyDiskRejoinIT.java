package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
  private static final int MAX_CHURN_ROUNDS = 4;
  private static final Duration PURGE_WAIT = Duration.ofSeconds(30);

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

  /**
   * More metadata changes than a snapshot's interval (4096 entries): the others have purged the
   * early entries, so the wiped node gets the metadata from a snapshot (declarations, users,
   * permissions), then the rest of the log.
   */
  @Test
  void aNodeGoneWithAnEmptyDiskGetsTheMetadataBackFromASnapshot() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.start(directory, "snapshot-it", 3)) {
      assertEquals(
          201,
          nodes
              .management(0)
              .put("/api/users/kept", Map.of("password", "kept", "tags", ""))
              .status());
      assertEquals(
          201,
          nodes
              .management(0)
              .put(
                  "/api/permissions/%2F/kept",
                  Map.of("configure", "", "write", ".*", "read", "kept-.*"))
              .status());
      // Whichever of node1 and node2 leads after the wipe must have purged the log's first
      // segment, or it sends the wiped node entries from index 0 instead of its snapshot. A node
      // purges only when it takes a snapshot (every 4,096 entries), and only up to what it then
      // knows every member has committed: a follower's knowledge of the others may lag, so one
      // snapshot may purge nothing. Each round of 8 x 290 declares and deletes (4,640 entries,
      // over 8 MB with their arguments: more than a log segment) brings every node another one.
      churnExchanges(nodes, 8, 290);
      int rounds = 1;
      while (!purgedFirstSegmentSoon("node1") || !purgedFirstSegmentSoon("node2")) {
        rounds++;
        assertTrue(rounds <= MAX_CHURN_ROUNDS, "node1 and node2 purged their first log segment");
        churnExchanges(nodes, 8, 290);
      }
      LOG.log(System.Logger.Level.INFO, "First log segment purged after {0} churn rounds", rounds);
      try (Connection connection = nodes.connect(0)) {
        Channel channel = connection.createChannel();
        channel.exchangeDeclare("kept-x", "topic", true);
        channel.queueDeclare("kept-q", true, false, false, null);
        channel.queueBind("kept-q", "kept-x", "a.#");
      }

      nodes.kill(2);
      nodes.wipe(2);
      nodes.restart(2);
      Deadline.await(
          WAIT,
          "the wiped node got the metadata log's snapshot",
          () ->
              Files.readString(nodes.log(2))
                  .contains("Cluster log metadata: installed the leader's"));
      ConnectionFactory factory = nodes.factory(2);
      factory.setUsername("kept");
      factory.setPassword("kept");
      try (Connection connection = factory.newConnection()) {
        Channel channel = connection.createChannel();
        channel.exchangeDeclarePassive("kept-x");
        channel.confirmSelect();
        channel.basicPublish("kept-x", "a.b", null, new byte[] {1});
        channel.waitForConfirmsOrDie(WAIT.toMillis());
        assertEquals(1, channel.queueDeclarePassive("kept-q").getMessageCount());
        channel.exchangeDeclarePassive("churn-0-0"); // kept by every churning thread
      }
    }
  }

  /**
   * {@code threads} clients each declare and delete {@code rounds} exchanges on a node of their
   * own, keeping their first one: many metadata entries, which the log takes together.
   */
  private static void churnExchanges(ClusterNodes nodes, int threads, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  try (Connection connection = nodes.connect(thread % 3)) {
                    Channel channel = connection.createChannel();
                    Map<String, Object> bulky = Map.of("x-filler", "f".repeat(4096));
                    for (int i = 0; i < rounds; i++) {
                      String name = "churn-" + thread + "-" + i;
                      channel.exchangeDeclare(name, "direct", true, false, bulky);
                      if (i > 0) {
                        channel.exchangeDelete(name);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> each : done) {
        each.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean hasSnapshot(Path node) throws IOException {
    try (Stream<Path> files = Files.walk(node)) {
      return files.anyMatch(file -> file.getFileName().toString().startsWith("snapshot."));
    }
  }

  /**
   * Within 30 s (a snapshot and its purge run in the background after the entries are applied), the
   * node has a snapshot and no closed segment starting at index 0 (Ratis names a closed segment
   * {@code log_FIRST-LAST}).
   */
  private boolean purgedFirstSegmentSoon(String node) throws Exception {
    Path files = directory.resolve(node);
    try {
      Deadline.await(
          PURGE_WAIT,
          "a snapshot and the first log segment purged on " + node,
          () -> hasSnapshot(files) && noFirstSegment(files));
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }

  private static boolean noFirstSegment(Path node) throws IOException {
    try (Stream<Path> files = Files.walk(node)) {
      return files.noneMatch(file -> file.getFileName().toString().startsWith("log_0-"));
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
