package dev.warren.broker.quorum;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.QueueReplicas;
import dev.warren.broker.metrics.QueueCounters;
import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.DeclaredQueue;
import dev.warren.broker.model.DeliveryLimit;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.QueueArguments;
import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.QueuePolicy;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.Settlement;
import dev.warren.broker.model.VirtualHost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A quorum queue as this node's channels and exchanges see it. It keeps no messages: every
 * operation is proposed to the queue's shard log, and {@link QuorumShard} applies it on every
 * member through {@link QuorumMachine}; this object then carries out the effects meant for this
 * node (deliveries to its consumers, dead letters if it leads) and keeps the counts for declare-ok.
 */
public final class QuorumQueue extends DeclaredQueue {
  private static final System.Logger LOG = System.getLogger(QuorumQueue.class.getName());

  /** A publish nobody waits to be confirmed. */
  private static final Persistence.Synced UNCONFIRMED = () -> {};

  private final QueueKey key;
  private volatile QueueArguments effective;

  /** Whether the queue's settings, as this node resolved them, may refuse a publish. */
  private volatile boolean refusesPublishes;

  private final VirtualHost host;
  private final QuorumShard shard;
  private final String node;

  /**
   * Never counted into: the replicated state decides deliveries on the log's thread, which the
   * counters do not reach yet, so a quorum queue's own message_stats stay zero (its channels'
   * counters and the node's totals do count its messages).
   */
  private final QueueCounters counters = new QueueCounters();

  /** This node's consumers of the queue, by their key in the log. */
  private final Map<ConsumerKey, ConsumerWindow> consumers = new ConcurrentHashMap<>();

  /** Keys of consumers, cancelled ones too while their channels may still settle with them. */
  private final Map<Consumer, ConsumerKey> keys = Collections.synchronizedMap(new WeakHashMap<>());

  private final SettlementBatch settlements = new SettlementBatch();

  private volatile int ready;
  private volatile int consumerCount;
  private volatile long nextExpiry = Long.MAX_VALUE;
  private volatile boolean deleted;

  /** Whether a policy was applied yet; the virtual host calls under its topology lock. */
  private boolean configured;

  /** Completes once the queue's Open entry is applied (at once on members that did not open it). */
  private volatile CompletionStage<QuorumReply> opened =
      CompletableFuture.completedFuture(QuorumReply.OK);

  QuorumQueue(
      QueueKey key,
      Map<String, Object> arguments,
      String homeNode,
      VirtualHost host,
      QuorumShard shard) {
    super(key.name(), key.virtualHost(), true, false, null, arguments, homeNode);
    this.key = key;
    this.effective = parsedArguments();
    this.refusesPublishes = QuorumSettings.of(effective).refusesPublishes();
    this.host = host;
    this.shard = shard;
    this.node = host.node();
  }

  QueueKey key() {
    return key;
  }

  /** Proposes the queue's start in its shard (the declaring node does, once). */
  CompletionStage<QuorumReply> open() {
    opened = shard.propose(key, new ShardEntry.Open(arguments()));
    return opened;
  }

  /** A failed start is logged where it was proposed; the declare is not failed by it. */
  @Override
  public CompletionStage<Void> started() {
    return opened.handle((reply, failure) -> null);
  }

  @Override
  public QueueCounters counters() {
    return counters;
  }

  @Override
  public QueueArguments effectiveArguments() {
    return effective;
  }

  /**
   * Every member resolves the policy for itself (its dead-letter exchange is read where the leader
   * dead-letters); the home node puts the new settings in the log once the queue is open, so that
   * every member's state machine changes at the same entry. The home node's first call always does,
   * since a restarted node's log may hold the settings of a policy cleared while it was down.
   */
  @Override
  public void applyPolicy(Map<String, Object> definition) {
    QueueArguments next = QueuePolicy.resolve(parsedArguments(), definition, true);
    if (next.equals(effective) && configured) {
      return;
    }
    effective = next;
    refusesPublishes = QuorumSettings.of(next).refusesPublishes();
    configured = true;
    if (home() && !deleted) {
      QuorumSettings settings = QuorumSettings.of(next);
      opened.thenCompose(open -> propose(new QuorumCommand.Configure(settings)));
    }
  }

  @Override
  public boolean home() {
    return homeNode().equals(node);
  }

  @Override
  public Optional<QueueReplicas> replicas() {
    return shard.replicas();
  }

  @Override
  public void touch() {
    // quorum queues here have no x-expires
  }

  // --- messages

  @Override
  public boolean replicated() {
    return true;
  }

  @Override
  public boolean enqueue(Message message) {
    enqueue(message, UNCONFIRMED);
    return true;
  }

  /**
   * Confirmed once a majority has the message on disk. A queue that never refuses a publish (no
   * reject-publish overflow with a limit, as this node resolved its settings) confirms at the
   * commit; otherwise the confirm waits for the state machine's verdict on this node (a refusal is
   * a nack).
   */
  @Override
  public void enqueue(Message message, Persistence.Synced confirmation) {
    Message stored = message.withStoreId(0);
    if (!refusesPublishes) {
      shard
          .proposeCommitted(key, new ShardEntry.ForQueue(new QuorumCommand.Enqueue(stored, false)))
          .whenComplete((done, failure) -> confirm(confirmation, failure == null));
      return;
    }
    propose(new QuorumCommand.Enqueue(stored))
        .whenComplete(
            (reply, failure) ->
                confirm(confirmation, failure == null && !(reply instanceof QuorumReply.Rejected)));
  }

  private static void confirm(Persistence.Synced confirmation, boolean taken) {
    if (taken) {
      confirmation.synced();
      confirmation.afterBatch();
    } else {
      confirmation.failed();
    }
  }

  @Override
  public Taken take(boolean noAck) {
    return BrokerChannel.join(takeAsync(noAck));
  }

  @Override
  public CompletionStage<Taken> takeAsync(boolean noAck) {
    ConsumerKey getter = ConsumerKey.getter(node, 0);
    return propose(new QuorumCommand.Dequeue(getter, noAck))
        .thenApply(
            reply ->
                reply instanceof QuorumReply.Got got
                    ? new Taken(entry(got.message()), got.remaining())
                    : null);
  }

  /** Gathered until the channel's dispatch, which proposes them as one command per kind. */
  @Override
  public void settle(QueueEntry entry, Consumer consumer, Settlement settlement) {
    ConsumerKey owner = consumer == null ? ConsumerKey.getter(node, 0) : keys.get(consumer);
    if (owner != null) {
      settlements.add(owner, settlement, entry.sequence());
      ConsumerWindow window = consumer == null ? null : consumers.get(owner);
      if (window != null && window.consumer() == consumer) {
        window.settled();
      }
    }
  }

  @Override
  public int purge() {
    return BrokerChannel.join(purgeAsync());
  }

  @Override
  public CompletionStage<Integer> purgeAsync() {
    return propose(new QuorumCommand.Purge())
        .thenApply(reply -> reply instanceof QuorumReply.Purged p ? p.count() : 0);
  }

  @Override
  public void released(QueueEntry entry) {
    // settled in the log when it was delivered (no-ack) or taken
  }

  @Override
  public void restore(Message message) {
    throw new UnsupportedOperationException("quorum queue messages are restored from their log");
  }

  /**
   * queue.declare's counts: as of everything committed before the declare, as RabbitMQ asks the
   * queue's leader, so that a client that saw its publishes confirmed finds them counted on any
   * member. A member that cannot reach the log answers with what it has applied.
   */
  @Override
  public CompletionStage<Counts> countsAsync() {
    return shard.caughtUp().handle((done, failure) -> new Counts(messageCount(), consumerCount()));
  }

  @Override
  public int messageCount() {
    return ready;
  }

  @Override
  public int consumerCount() {
    return consumerCount;
  }

  /**
   * What the log last told this node; the bytes of ready messages and the last use are not tracked
   * for quorum queues (0), and every consumer counts as active.
   */
  @Override
  public Stats stats() {
    return new Stats(ready, 0, consumerCount, null, null, 0);
  }

  @Override
  public boolean isActive(Consumer consumer) {
    return true;
  }

  // --- consumers

  @Override
  public void addConsumer(Consumer consumer) {
    if (deleted) {
      throw Rejections.noQueue(key.virtualHost(), key.name());
    }
    ConsumerKey consumerKey =
        new ConsumerKey(node, ChannelIds.of(consumer.target()), consumer.tag());
    ConsumerWindow window = new ConsumerWindow(consumer, QuorumQueue::entry);
    consumers.put(consumerKey, window);
    keys.put(consumer, consumerKey);
    propose(new QuorumCommand.Checkout(consumerKey, window.credit(), consumer.noAck()))
        .whenComplete(
            (reply, failure) -> {
              if (failure != null && consumers.remove(consumerKey) != null) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Quorum queue {0}: consumer {1} could not register: {2}",
                    key.name(),
                    consumer.tag(),
                    failure.toString());
                keys.remove(consumer);
                // the log may still take the registration, which the client was told failed
                cancelInLog(consumerKey, List.of());
                consumer
                    .target()
                    .consumerFailed(
                        consumer, Rejections.consumeTimedOut(key.virtualHost(), key.name()));
              }
            });
  }

  @Override
  public boolean removeConsumer(Consumer consumer) {
    ConsumerKey consumerKey = keys.get(consumer);
    ConsumerWindow window = consumerKey == null ? null : consumers.remove(consumerKey);
    if (window != null) {
      // its key stays known: what it holds may still be settled or requeued by its channel
      cancelInLog(consumerKey, window.takeUnsent());
    }
    return false;
  }

  /**
   * The log decides every delivery; what is left to do is proposing the settlements made and
   * handing the clients the deliveries their settles made room for.
   */
  @Override
  public void dispatch() {
    settlements.drain(this::proposeSettlement);
    consumers.forEach((consumerKey, window) -> giveBack(consumerKey, window.sendUnsent()));
  }

  /**
   * Cancels the consumer in the log, then gives back uncounted what the log handed it that its
   * client never saw: after the cancel, so that the log gives them to another consumer, not back to
   * this one.
   */
  private void cancelInLog(ConsumerKey consumerKey, List<Long> neverSent) {
    proposeSettlement(new QuorumCommand.Cancel(consumerKey));
    if (!neverSent.isEmpty()) {
      proposeSettlement(new QuorumCommand.Release(consumerKey, neverSent));
    }
  }

  /**
   * Deliveries a closed channel no longer took go back counted, as before the window: the consumer
   * is still registered in the log until its cancel, and a release (not counted) could make the log
   * hand them to it again and again.
   */
  private void giveBack(ConsumerKey consumerKey, List<Long> ids) {
    if (!ids.isEmpty()) {
      proposeSettlement(new QuorumCommand.Return(consumerKey, ids));
    }
  }

  // --- lifecycle

  @Override
  public Deletion delete(boolean ifUnused, boolean ifEmpty) {
    if (ifUnused && consumerCount > 0) {
      throw Rejections.inUse(Rejections.queue(key.virtualHost(), key.name()));
    }
    if (ifEmpty && ready > 0) {
      throw Rejections.notEmpty(Rejections.queue(key.virtualHost(), key.name()));
    }
    deleted = true;
    List<Consumer> cancelled = new ArrayList<>();
    consumers.values().forEach(window -> cancelled.add(window.consumer()));
    consumers.clear();
    if (home()) {
      shard.propose(key, new ShardEntry.Close());
    }
    shard.detach(this);
    return new Deletion(ready, cancelled);
  }

  @Override
  public Deletion deleteIfAbandoned() {
    return null;
  }

  @Override
  public Deletion deleteIfExpired() {
    return null;
  }

  // --- the shard's side (its apply thread)

  /** After every command of this queue: counts, then this node's part of the effects. */
  void applied(QuorumState state, List<QuorumEffect> effects, boolean leader) {
    ready = state.readyCount();
    consumerCount = state.consumerCount();
    nextExpiry = state.nextExpiry();
    for (QuorumEffect effect : effects) {
      if (effect instanceof QuorumEffect.Deliver deliver) {
        if (deliver.consumer().node().equals(node)) {
          deliver(deliver.consumer(), deliver.message());
        }
      } else if (effect instanceof QuorumEffect.DeadLetter dead && leader) {
        host.deadLetter(this, dead.message(), dead.reason());
      }
    }
  }

  private void deliver(ConsumerKey consumerKey, QueuedMessage message) {
    ConsumerWindow window = consumers.get(consumerKey);
    if (window == null) {
      // A consumer unknown here: cancelled already, or one whose registration failed here and
      // that the log took late (the Raft client retried it after a partition healed). It is
      // cancelled (again) before the message goes back as never delivered; otherwise the log
      // would hand this consumer message after message, each back again, until the delivery
      // limit dropped them.
      cancelInLog(consumerKey, List.of(message.id()));
    } else if (!window.offer(message) && !window.consumer().noAck()) {
      // its channel is gone here: the message goes back for someone else
      giveBack(consumerKey, List.of(message.id()));
    }
  }

  /**
   * The log dropped this node's consumers (see {@link ShardEntry.NodeGone}): their clients are told
   * with basic.cancel, as for a deleted queue, and may consume again. What they held went back to
   * the queue; their settlements of it are ignored.
   */
  void consumersDropped() {
    for (Map.Entry<ConsumerKey, ConsumerWindow> each : List.copyOf(consumers.entrySet())) {
      if (consumers.remove(each.getKey(), each.getValue())) {
        each.getValue().takeUnsent(); // the log returned them with the rest
        Consumer consumer = each.getValue().consumer();
        LOG.log(
            System.Logger.Level.WARNING,
            "Quorum queue {0}: consumer {1} cancelled: the queue''s log dropped this node''s"
                + " consumers while it was out of reach",
            key.name(),
            consumer.tag());
        consumer.target().cancelledByBroker(consumer);
      }
    }
  }

  /**
   * Lets the log's clock advance when a message is due to expire: the home node proposes a tick
   * (RabbitMQ's quorum queues expire on their leader's timer).
   */
  void tickIfDue(long now) {
    if (!deleted && home() && nextExpiry <= now) {
      nextExpiry = Long.MAX_VALUE; // the tick's apply sets it again
      propose(new QuorumCommand.Tick());
    }
  }

  private static QueueEntry entry(QueuedMessage message) {
    Message delivered =
        message.deliveryCount() > 0
            ? DeliveryLimit.counted(message.message(), message.deliveryCount())
            : message.message();
    return QueueEntry.delivered(delivered, message.id(), message.delivered());
  }

  private CompletionStage<QuorumReply> propose(QuorumCommand command) {
    return shard.propose(key, new ShardEntry.ForQueue(command));
  }

  /** Proposed until the log takes it (see {@link QuorumShard#proposeSettlement}). */
  private void proposeSettlement(QuorumCommand command) {
    shard.proposeSettlement(key, new ShardEntry.ForQueue(command));
  }

  @Override
  public String toString() {
    return "quorum queue '" + key.name() + "' in vhost '" + key.virtualHost() + "'";
  }
}
