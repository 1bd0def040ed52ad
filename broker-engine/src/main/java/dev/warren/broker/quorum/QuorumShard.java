package dev.warren.broker.quorum;

import dev.warren.broker.cluster.ReplicatedLog;
import dev.warren.broker.cluster.ReplicatedState;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ClusterStatus;
import dev.warren.broker.engine.api.QueueReplicas;
import dev.warren.broker.protocol.ReplyCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One replicated log holding the state of some of the cluster's quorum queues (every member of the
 * cluster applies it). Entries name their queue; each is applied by {@link QuorumMachine} to that
 * queue's state, and the node's {@link QuorumQueue} object, if it has one yet, carries out this
 * node's effects. A proposal's reply reaches the proposing node when it applies the entry.
 */
public final class QuorumShard implements ReplicatedState {
  private static final System.Logger LOG = System.getLogger(QuorumShard.class.getName());

  private final String node;
  private final String name;

  /** The states: touched only by the log's thread (apply, snapshot, restore). */
  private final Map<QueueKey, QuorumState> states = new HashMap<>();

  private final Map<QueueKey, QuorumQueue> local = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<QuorumReply>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile ReplicatedLog log;

  /**
   * How long the shard's leader waits for a member it hears nothing from before that member's
   * consumers are dropped and what they held goes to others (RabbitMQ's quorum queues do so when
   * the Erlang distribution reports the node down: at once for a dead one, after its 60 s net tick
   * for one cut off). Long enough that a node slowed by its machine is not taken for gone.
   */
  static final long NODE_GONE_AFTER_MILLIS = 30_000;

  /** Whether a node's process is known to be gone: its silence need not be waited out. */
  private final Predicate<String> stopped;

  /** Members the leader has not heard from, and since when; the tick's thread only. */
  private final Map<String, Long> silentSince = new HashMap<>();

  /** Members whose consumers this leader proposed to drop during their current silence. */
  private final Set<String> reportedGone = ConcurrentHashMap.newKeySet();

  /** Settlements the log did not take, appended again at the next tick. */
  private final Queue<ShardEntry> unsettled = new ConcurrentLinkedQueue<>();

  public QuorumShard(String node, String name, Predicate<String> stopped) {
    this.node = node;
    this.name = name;
    this.stopped = stopped;
  }

  public String name() {
    return name;
  }

  /**
   * Proposals made before the log is there: while the node starts, replaying the metadata log
   * declares its quorum queues again, and the queues this node declared propose their Open again (a
   * no-op where it committed; the missing start where the node died before it did).
   */
  private final List<Runnable> beforeLog = new ArrayList<>();

  @Override
  public void useLog(ReplicatedLog value) {
    List<Runnable> held;
    synchronized (beforeLog) {
      log = value;
      held = List.copyOf(beforeLog);
      beforeLog.clear();
    }
    held.forEach(Runnable::run);
  }

  /**
   * Completes once this node has applied every entry committed before the call (fails if the log
   * cannot be reached): a follower learns of commits a little after the leader.
   */
  CompletableFuture<Void> caughtUp() {
    ReplicatedLog current = log;
    return current == null
        ? CompletableFuture.failedFuture(new IllegalStateException("shard " + name + " has no log"))
        : current.barrier();
  }

  /** The shard log's leader and members, the queue's replicas. */
  Optional<QueueReplicas> replicas() {
    ReplicatedLog current = log;
    return current == null ? Optional.empty() : current.members().map(QueueReplicas::of);
  }

  void attach(QuorumQueue queue) {
    local.put(queue.key(), queue);
  }

  void detach(QuorumQueue queue) {
    local.remove(queue.key(), queue);
  }

  /**
   * Ticks the queues of this node whose next message is due to expire, appends again the
   * settlements that failed since the last tick, and, on the leader, drops the consumers of members
   * silent for too long.
   */
  void tick(long now) {
    if (log != null) {
      local.values().forEach(queue -> queue.tickIfDue(now));
      settleAgain();
      dropConsumersOfSilentMembers(now);
    }
  }

  private void dropConsumersOfSilentMembers(long now) {
    Optional<ClusterStatus> status = log.members();
    if (status.isEmpty() || !node.equals(status.get().leader())) {
      silentSince.clear();
      reportedGone.clear();
      return;
    }
    for (ClusterStatus.Member member : status.get().members()) {
      String id = member.id();
      if (member.reachable()) {
        silentSince.remove(id);
        reportedGone.remove(id);
        continue;
      }
      long since = silentSince.computeIfAbsent(id, silent -> now);
      // A silent member whose port refuses connections has no process: as RabbitMQ sees a dead
      // node at once, its consumers' messages go back without waiting out a partition's grace.
      boolean gone = stopped.test(id);
      if ((gone || now - since >= NODE_GONE_AFTER_MILLIS) && reportedGone.add(id)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Quorum shard {0}: nothing heard from node {1} for {2} s{3}: what its consumers hold"
                + " goes back to the queues",
            name,
            id,
            (now - since) / 1000,
            gone ? " and it refuses connections" : "");
        propose(new QueueKey("", ""), new ShardEntry.NodeGone(id))
            .whenComplete(
                (reply, failure) -> {
                  if (failure != null) {
                    reportedGone.remove(id); // proposed again at the next tick
                  }
                });
      }
    }
  }

  /** Tells the shard that this node's earlier run is over (see {@link ShardEntry.NodeGone}). */
  CompletableFuture<QuorumReply> restarted() {
    return propose(new QueueKey("", ""), new ShardEntry.NodeGone(node));
  }

  /** Appends a command; completes with its reply once this node has applied it. */
  CompletableFuture<QuorumReply> propose(QueueKey queue, ShardEntry.Command command) {
    return submit(queue, command).applied();
  }

  /**
   * Appends a command whose outcome the proposer knows already: completes once the entry is
   * committed (a majority has it on disk) or this node applied it, whichever comes first. A
   * follower applies an entry some time after the leader answered (it learns the new commit index
   * with the leader's next message), so a publisher on a follower is spared that wait.
   */
  CompletableFuture<Void> proposeCommitted(QueueKey queue, ShardEntry.Command command) {
    Proposal proposal = submit(queue, command);
    CompletableFuture<Void> done = new CompletableFuture<>();
    proposal.committed().thenRun(() -> done.complete(null));
    proposal
        .applied()
        .whenComplete(
            (reply, failure) -> {
              if (failure == null) {
                done.complete(null);
              } else {
                done.completeExceptionally(failure);
              }
            });
    return done;
  }

  /** A proposal's two moments: committed by a majority, and applied on this node (its reply). */
  private record Proposal(
      CompletableFuture<QuorumReply> applied, CompletableFuture<Void> committed) {}

  private Proposal submit(QueueKey queue, ShardEntry.Command command) {
    long request = requests.incrementAndGet();
    Proposal proposal = new Proposal(new CompletableFuture<>(), new CompletableFuture<>());
    waiting.put(request, proposal.applied());
    ShardEntry entry = new ShardEntry(queue, node, request, System.currentTimeMillis(), command);
    synchronized (beforeLog) {
      if (log == null) {
        beforeLog.add(() -> append(entry, proposal));
        return proposal;
      }
    }
    append(entry, proposal);
    return proposal;
  }

  /**
   * Appends a settlement of this node's consumer or channel (an ack, a reject, a requeue, a
   * cancel), and appends it again after every failure until the log takes it or the queue is gone
   * here. One made while this node is cut off from the majority must not be dropped: the messages
   * would stay checked out to the consumer, and its prefetch full, after the partition heals.
   * RabbitMQ's quorum-queue client resends its pending commands to the new leader the same way.
   * Applying one twice is harmless: the second finds nothing held under its ids.
   */
  void proposeSettlement(QueueKey queue, ShardEntry.Command command) {
    ShardEntry entry =
        new ShardEntry(
            queue, node, requests.incrementAndGet(), System.currentTimeMillis(), command);
    synchronized (beforeLog) {
      if (log == null) {
        beforeLog.add(() -> appendSettlement(entry));
        return;
      }
    }
    appendSettlement(entry);
  }

  private void appendSettlement(ShardEntry entry) {
    log.append(QuorumCodec.encode(entry))
        .whenComplete(
            (appended, failure) -> {
              if (failure != null && local.containsKey(entry.queue())) {
                unsettled.add(entry);
              }
            });
  }

  /** Only those failed before this call: one that fails at once waits for the next tick. */
  private void settleAgain() {
    int count = unsettled.size();
    if (count == 0) {
      return;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "Quorum shard {0}: appending {1} settlements again (the log did not take them)",
        name,
        count);
    for (int i = 0; i < count; i++) {
      ShardEntry entry = unsettled.poll();
      if (entry != null && local.containsKey(entry.queue())) {
        appendSettlement(entry);
      }
    }
  }

  private void append(ShardEntry entry, Proposal proposal) {
    long request = entry.request();
    QueueKey queue = entry.queue();
    log.append(QuorumCodec.encode(entry))
        .whenComplete(
            (appended, failure) -> {
              if (failure == null) {
                proposal.committed().complete(null);
                return;
              }
              BrokerException refused =
                  new BrokerException(
                      ReplyCode.INTERNAL_ERROR,
                      "quorum queue '"
                          + queue.name()
                          + "' in vhost '"
                          + queue.virtualHost()
                          + "' could not reach a majority: "
                          + failure);
              proposal.committed().completeExceptionally(refused);
              if (waiting.remove(request) != null) {
                proposal.applied().completeExceptionally(refused);
              }
            });
  }

  // --- the log's thread

  @Override
  public void apply(long index, byte[] bytes, boolean leader) {
    if (bytes.length == 0) {
      return;
    }
    ShardEntry entry = QuorumCodec.decode(bytes);
    CompletableFuture<QuorumReply> reply =
        entry.origin().equals(node) ? waiting.remove(entry.request()) : null;
    QuorumReply result;
    try {
      result = applyEntry(index, entry, leader);
    } catch (RuntimeException bug) {
      LOG.log(System.Logger.Level.ERROR, "Quorum shard " + name + ": applying failed", bug);
      result = null;
    }
    if (reply == null) {
      return;
    }
    if (result == null) {
      reply.completeExceptionally(
          new BrokerException(
              ReplyCode.NOT_FOUND,
              "no queue '"
                  + entry.queue().name()
                  + "' in vhost '"
                  + entry.queue().virtualHost()
                  + "'"));
    } else {
      reply.complete(result);
    }
  }

  private QuorumReply applyEntry(long index, ShardEntry entry, boolean leader) {
    ShardEntry.Command command = entry.command();
    if (command instanceof ShardEntry.Open open) {
      states.putIfAbsent(entry.queue(), new QuorumState(QuorumSettings.of(open.arguments())));
      return QuorumReply.OK;
    }
    if (command instanceof ShardEntry.Close) {
      states.remove(entry.queue());
      return QuorumReply.OK;
    }
    if (command instanceof ShardEntry.NodeGone gone) {
      QuorumCommand down = new QuorumCommand.NodeDown(gone.node());
      states.forEach((queue, state) -> applyTo(queue, state, index, entry.now(), down, leader));
      if (gone.node().equals(node)) {
        local.values().forEach(QuorumQueue::consumersDropped);
      }
      return QuorumReply.OK;
    }
    QuorumState state = states.get(entry.queue());
    if (state == null) {
      return null; // deleted, or not opened yet
    }
    return applyTo(
        entry.queue(),
        state,
        index,
        entry.now(),
        ((ShardEntry.ForQueue) command).command(),
        leader);
  }

  private QuorumReply applyTo(
      QueueKey key,
      QuorumState state,
      long index,
      long now,
      QuorumCommand command,
      boolean leader) {
    QuorumMachine.Applied applied =
        QuorumMachine.apply(new QuorumMachine.Meta(index, now), command, state);
    QuorumQueue queue = local.get(key);
    if (queue != null) {
      queue.applied(applied.state(), applied.effects(), leader);
    }
    return applied.reply();
  }

  @Override
  public byte[] snapshot() {
    return QuorumCodec.encodeStates(states);
  }

  @Override
  public void restore(byte[] snapshot) {
    states.clear();
    states.putAll(QuorumCodec.decodeStates(snapshot));
  }
}
