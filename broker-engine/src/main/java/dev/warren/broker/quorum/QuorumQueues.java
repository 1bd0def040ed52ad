package dev.warren.broker.quorum;

import dev.warren.broker.cluster.ReplicatedState;
import dev.warren.broker.concurrent.DaemonThreads;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.ReplicatedQueues;
import dev.warren.broker.model.VirtualHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A cluster node's quorum queues: a fixed number of shard logs, every queue in the shard its name
 * hashes to. The number of shards is the cluster's for good (a queue must hash to the same shard on
 * every node and across restarts); docs/cluster.md has the measurements behind the default.
 */
public final class QuorumQueues implements ReplicatedQueues {
  private static final System.Logger LOG = System.getLogger(QuorumQueues.class.getName());

  /** Shards per cluster (the same on every node; never changed once the cluster exists). */
  public static final int DEFAULT_SHARDS = 4;

  /** How long a restarted node keeps telling its shards that its earlier run is over. */
  private static final Duration FORGET_TIMEOUT = Duration.ofMinutes(5);

  /** How often queues with messages due to expire are ticked. */
  private static final long TICK_MILLIS = 250;

  private final String node;
  private final List<QuorumShard> shards = new ArrayList<>();
  private final ScheduledExecutorService ticker = DaemonThreads.scheduler("warren-quorum-ticks");

  /**
   * @param stopped whether a node's process is known to be gone (its port refuses connections), so
   *     that its consumers' messages need not wait out a silence (see {@link QuorumShard})
   */
  public QuorumQueues(String node, int shardCount, Predicate<String> stopped) {
    this.node = node;
    for (int i = 0; i < shardCount; i++) {
      shards.add(new QuorumShard(node, "quorum-" + i, stopped));
    }
    ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      shards.forEach(shard -> shard.tick(System.currentTimeMillis()));
    } catch (RuntimeException e) {
      // a failing tick must not end the ticks
      LOG.log(System.Logger.Level.WARNING, "Quorum queue ticks failed", e);
    }
  }

  /**
   * Frees what this node's consumers held before it restarted (a crash leaves them registered in
   * every member's state). Called once the node is in sync and before it listens, so that no
   * consumer of this run is registered yet. A shard that cannot be told (no majority within an
   * append's time, as on a loaded machine) is told again, for up to {@link #FORGET_TIMEOUT}: until
   * it is, that node's earlier consumers keep what they held.
   */
  public void forgetEarlierRun() {
    long deadline = System.nanoTime() + FORGET_TIMEOUT.toNanos();
    List<QuorumShard> left = new ArrayList<>(shards);
    while (!left.isEmpty()) {
      Map<QuorumShard, CompletableFuture<QuorumReply>> told = new LinkedHashMap<>();
      left.forEach(shard -> told.put(shard, shard.restarted()));
      left = new ArrayList<>();
      for (Map.Entry<QuorumShard, CompletableFuture<QuorumReply>> each : told.entrySet()) {
        try {
          each.getValue().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (ExecutionException | TimeoutException e) {
          left.add(each.getKey());
          LOG.log(
              System.Logger.Level.WARNING,
              "Quorum queues: {0} could not be told that this node''s earlier run is over: {1}",
              each.getKey().name(),
              e.toString());
        }
      }
      if (!left.isEmpty() && System.nanoTime() > deadline) {
        LOG.log(
            System.Logger.Level.ERROR,
            "Quorum queues: the consumers of this node''s earlier run still hold their messages"
                + " in {0}",
            left.stream().map(QuorumShard::name).toList());
        return;
      }
    }
  }

  /** Stops the ticks (the node is stopping). */
  public void close() {
    ticker.shutdownNow();
  }

  /** The shards' states by log name, for the node's Raft server to start. */
  public Map<String, ReplicatedState> logs() {
    Map<String, ReplicatedState> logs = new LinkedHashMap<>();
    shards.forEach(shard -> logs.put(shard.name(), shard));
    return logs;
  }

  @Override
  public Queue create(VirtualHost host, String name, Map<String, Object> arguments, String home) {
    QueueKey key = new QueueKey(host.name(), name);
    // String.hashCode is specified, so every node picks the same shard
    QuorumShard shard =
        shards.get(Math.floorMod((key.virtualHost() + '/' + key.name()).hashCode(), shards.size()));
    QuorumQueue queue = new QuorumQueue(key, arguments, home, host, shard);
    shard.attach(queue);
    if (home.equals(node)) {
      queue
          .open()
          .whenComplete(
              (opened, failure) -> {
                if (failure != null) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "Quorum queue {0} could not start in {1}: {2}",
                      name,
                      shard.name(),
                      failure.toString());
                }
              });
    }
    return queue;
  }
}
