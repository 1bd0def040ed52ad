package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a quorum queue's leader under confirmed publishing: the other two nodes elect a new
 * leader and go on, and every confirmed message is there afterwards. kill -9 of a consumer's node:
 * what it held comes back, when the node restarts or, if it stays down, when the leader gives it
 * up.
 */
class QuorumFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path directory;

  @Test
  void killingTheLeaderLosesNoConfirmedMessage() throws Exception {
    // one shard: the queue's log is quorum-0, whose leader the nodes log
    try (ClusterNodes nodes =
        ClusterNodes.start(directory, "failover-it", 3, "--cluster-quorum-shards", "1")) {
      try (Connection connection = nodes.connect(0)) {
        connection
            .createChannel()
            .queueDeclare("failover", true, false, false, Map.of("x-queue-type", "quorum"));
      }
      int leader = nodes.leaderOf("quorum-0");
      int survivor = (leader + 1) % 3;
      Set<Long> confirmed = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong killedAt = new AtomicLong();
      AtomicLong firstConfirmAfterKill = new AtomicLong();
      Thread publisher =
          new Thread(
              () -> publish(nodes, survivor, confirmed, stop, killedAt, firstConfirmAfterKill));
      publisher.start();
      awaitAtLeast(confirmed, 200);

      nodes.kill(leader);
      killedAt.set(System.nanoTime());
      awaitAtLeast(confirmed, confirmed.size() + 200);
      stop.set(true);
      publisher.join(WAIT.toMillis());

      long failoverMillis =
          TimeUnit.NANOSECONDS.toMillis(firstConfirmAfterKill.get() - killedAt.get());
      System.getLogger(getClass().getName())
          .log(
              System.Logger.Level.INFO,
              "Leader killed: first confirm after {0} ms; {1} messages confirmed",
              failoverMillis,
              confirmed.size());
      Set<Long> received = drain(nodes, survivor);
      Set<Long> lost = new HashSet<>(confirmed);
      lost.removeAll(received);
      assertEquals(Set.of(), lost, "confirmed messages that never arrived");
      assertTrue(failoverMillis < 15_000, "a new leader served after " + failoverMillis + " ms");
    }
  }

  @Test
  void whatAConsumerHeldComesBackWhenItsCrashedNodeRestarts() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.start(directory, "restart-it", 3)) {
      holdTenOn(nodes, 2);
      nodes.kill(2);
      nodes.restart(2);
      assertTenComeBackRedelivered(nodes, 0);
    }
  }

  /**
   * The shard's leader drops the consumers of a node it has not heard from for a while, so what
   * they held goes to others without waiting for the node to come back.
   */
  @Test
  void whatAConsumerHeldComesBackWhileItsCrashedNodeStaysDown() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.start(directory, "gone-it", 3)) {
      holdTenOn(nodes, 2);
      long killed = System.nanoTime();
      nodes.kill(2);
      assertTenComeBackRedelivered(nodes, 0);
      System.getLogger(getClass().getName())
          .log(
              System.Logger.Level.INFO,
              "A crashed node''s held messages were back {0} ms after the kill",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    }
  }

  /** Ten confirmed messages, taken without an acknowledgement by a client of node {@code node}. */
  private static void holdTenOn(ClusterNodes nodes, int node) throws Exception {
    try (Connection connection = nodes.connect(0)) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("held", true, false, false, Map.of("x-queue-type", "quorum"));
      channel.confirmSelect();
      for (long i = 0; i < 10; i++) {
        channel.basicPublish("", "held", null, ByteBuffer.allocate(8).putLong(i).array());
      }
      channel.waitForConfirmsOrDie(WAIT.toMillis());
    }
    Connection holder = nodes.connect(node); // closed by the kill
    Channel holding = holder.createChannel();
    for (int i = 0; i < 10; i++) {
      assertTrue(awaitGet(holding, false) != null, "delivered, not acknowledged");
    }
  }

  private static void assertTenComeBackRedelivered(ClusterNodes nodes, int node) throws Exception {
    try (Connection connection = nodes.connect(node)) {
      Channel channel = connection.createChannel();
      Set<Long> back = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        GetResponse got = awaitGet(channel, true);
        assertTrue(got.getEnvelope().isRedeliver(), "marked redelivered");
        back.add(ByteBuffer.wrap(got.getBody()).getLong());
      }
      assertEquals(10, back.size());
    }
  }

  private static GetResponse awaitGet(Channel channel, boolean autoAck) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse got = channel.basicGet("held", autoAck);
      if (got != null) {
        return got;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing to get from held");
  }

  private static void publish(
      ClusterNodes nodes,
      int node,
      Set<Long> confirmed,
      AtomicBoolean stop,
      AtomicLong killedAt,
      AtomicLong firstConfirmAfterKill) {
    try (Connection connection = nodes.connect(node)) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      long next = 0;
      while (!stop.get()) {
        long[] batch = new long[10];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = next++;
          channel.basicPublish(
              "", "failover", null, ByteBuffer.allocate(8).putLong(batch[i]).array());
        }
        if (channel.waitForConfirms(WAIT.toMillis())) {
          for (long id : batch) {
            confirmed.add(id);
          }
          if (killedAt.get() != 0 && firstConfirmAfterKill.get() == 0) {
            firstConfirmAfterKill.set(System.nanoTime());
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<Long> drain(ClusterNodes nodes, int node) throws Exception {
    Set<Long> received = new HashSet<>();
    try (Connection connection = nodes.connect(node)) {
      Channel channel = connection.createChannel();
      long deadline = System.nanoTime() + WAIT.toNanos();
      int emptyPolls = 0;
      while (System.nanoTime() < deadline && emptyPolls < 20) {
        GetResponse got = channel.basicGet("failover", true);
        if (got == null) {
          emptyPolls++;
          Thread.sleep(50);
        } else {
          emptyPolls = 0;
          received.add(ByteBuffer.wrap(got.getBody()).getLong());
        }
      }
    }
    return received;
  }

  private static void awaitAtLeast(Set<Long> confirmed, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (confirmed.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + confirmed.size() + " of " + count + " confirmed");
      }
      Thread.sleep(20);
    }
  }
}
