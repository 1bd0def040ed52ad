package dev.warren.broker.model;

import dev.warren.broker.engine.api.QueueReplicas;
import dev.warren.broker.metrics.QueueCounters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A queue as exchanges, channels and the virtual host use it, whatever keeps its messages: a {@link
 * ClassicQueue} on this node, or a quorum queue whose state a Raft log replicates ({@code
 * dev.warren.broker.quorum}). Each operation has the semantics of the AMQP method it serves.
 */
public non-sealed interface Queue extends Destination {

  boolean durable();

  boolean autoDelete();

  /** The connection an exclusive queue belongs to, or null. */
  Object exclusiveOwner();

  Map<String, Object> arguments();

  /** The queue's own arguments, as declared (what a redeclaration is compared with). */
  QueueArguments parsedArguments();

  /**
   * The arguments in force: the declared ones combined with the policy that applies now, see {@link
   * QueuePolicy}. Read on every publish and dead letter, so it is a volatile read.
   */
  QueueArguments effectiveArguments();

  /**
   * The policy that applies to the queue changed (an empty definition: none does): it takes effect
   * at once, as in RabbitMQ (a lower max-length trims the queue, a new expires restarts the queue's
   * expiry timer; messages already queued keep the expiry they were given).
   */
  void applyPolicy(Map<String, Object> definition);

  /**
   * Whether the declaring client was on this node (always, unless clustered): only there does the
   * queue delete itself (auto-delete, x-expires).
   */
  boolean home();

  /** The node whose client declared the queue ("" unless clustered). */
  String homeNode();

  /** Lax check (RabbitMQ's): usable by its owner, or by anyone if not exclusive. */
  boolean accessibleTo(Object connection);

  /** The queue was used (declared, consumed from, polled): restarts its x-expires period. */
  void touch();

  /** The queue's message counters, for statistics. */
  QueueCounters counters();

  // --- messages

  /**
   * Takes a routed message and dispatches it.
   *
   * @return false if the queue refused the message (the publisher is then nacked)
   */
  boolean enqueue(Message message);

  /**
   * basic.get: the oldest ready message and how many remain, or null if empty.
   *
   * @param noAck whether the message is settled as it is taken (it is counted so)
   */
  Taken take(boolean noAck);

  /**
   * basic.get without blocking: a replicated queue answers once its log decided.
   *
   * @param noAck whether the message is settled as it is taken
   */
  default CompletionStage<Taken> takeAsync(boolean noAck) {
    return CompletableFuture.completedFuture(take(noAck));
  }

  /**
   * Whether the queue's messages are in a replicated log (a quorum queue): a publish to it is
   * confirmed once a majority has it, through {@link #enqueue(Message, Persistence.Synced)}.
   */
  default boolean replicated() {
    return false;
  }

  /**
   * Whether the queue's messages are kept somewhere other than this node's store: in a replicated
   * log, or on the cluster node that owns a classic queue. Such a queue takes a publish through
   * {@link #enqueue(Message, Persistence.Synced)}, which tells when it holds the message.
   */
  default boolean keptElsewhere() {
    return replicated();
  }

  /**
   * Completes once the queue takes messages from every node, for the declare-ok of the queue's
   * creation: a quorum queue once its log has opened it, so that a publish elsewhere right after
   * the declare-ok finds it.
   */
  default CompletionStage<Void> started() {
    return CompletableFuture.completedFuture(null);
  }

  /** The queue's message and consumer counts, for queue.declare: asked where the queue lives. */
  default CompletionStage<Counts> countsAsync() {
    return CompletableFuture.completedFuture(new Counts(messageCount(), consumerCount()));
  }

  /** What queue.declare-ok reports. */
  record Counts(int messages, int consumers) {}

  /**
   * queue.delete of a queue whose node is another one: that node checks if-unused and if-empty and
   * deletes it, as a RabbitMQ queue's own process does, so that delete-ok follows the deletion
   * there. Completes with the number of messages deleted; fails with the owner's refusal, or with
   * RabbitMQ's 404 "home node ... is down or inaccessible" if it cannot be reached.
   */
  default CompletionStage<Integer> deleteOnHomeNode(boolean ifUnused, boolean ifEmpty) {
    throw new UnsupportedOperationException("queue " + name() + " is deleted on this node");
  }

  /**
   * For a classic queue another cluster node keeps: that node, which takes a message once for all
   * of its queues a publish routes to. Empty for every other queue.
   */
  default Optional<HomeNode> forwardedTo() {
    return Optional.empty();
  }

  /** A replicated queue's leader and members, as this node sees them. */
  default Optional<QueueReplicas> replicas() {
    return Optional.empty();
  }

  /**
   * The enqueue of a queue {@link #keptElsewhere()}: {@code confirmation} hears {@code synced} and
   * {@code afterBatch} once a majority (or the owning node) has the message, or {@code failed} if
   * the queue refused it or could not be reached.
   */
  default void enqueue(Message message, Persistence.Synced confirmation) {
    throw new UnsupportedOperationException("queue " + name() + " is not replicated");
  }

  /** A message taken with basic.get and the number of messages left behind it. */
  record Taken(QueueEntry entry, int remaining) {}

  /**
   * Settles one delivered message. Does not dispatch: callers settle a batch and then call {@link
   * #dispatch()} once.
   *
   * @param consumer the consumer it was delivered to, or null for basic.get
   */
  void settle(QueueEntry entry, Consumer consumer, Settlement settlement);

  /** Returns the number of ready messages dropped; unacknowledged ones are not touched. */
  int purge();

  /** queue.purge without blocking: a replicated queue answers once its log decided. */
  default CompletionStage<Integer> purgeAsync() {
    return CompletableFuture.completedFuture(purge());
  }

  /** A delivered message left the queue without an acknowledgement to wait for. */
  void released(QueueEntry entry);

  /** Puts back a message recovered from the store at start. */
  void restore(Message message);

  int messageCount();

  int consumerCount();

  /**
   * The queue's counts at one moment, for listings.
   *
   * @param singleActiveConsumer the consumer a single-active-consumer queue serves, or null
   * @param exclusiveConsumer the exclusive consumer, or null
   * @param lastUsed epoch milliseconds of the last use
   */
  record Stats(
      int ready,
      long readyBytes,
      int consumers,
      Consumer singleActiveConsumer,
      Consumer exclusiveConsumer,
      long lastUsed) {}

  Stats stats();

  /** Whether the consumer is served: false for a waiting single-active-consumer candidate. */
  boolean isActive(Consumer consumer);

  // --- consumers

  void addConsumer(Consumer consumer);

  /**
   * addConsumer without blocking: completes once the consumer is registered where the queue's
   * messages are (a classic queue on another cluster node answers from there), failing with the
   * refusal there.
   */
  default CompletionStage<Void> addConsumerAsync(Consumer consumer) {
    addConsumer(consumer);
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Removes a consumer; its unacknowledged messages stay with its channel.
   *
   * @return whether the queue should now be auto-deleted
   */
  boolean removeConsumer(Consumer consumer);

  /**
   * removeConsumer for basic.cancel: completes once no delivery to the consumer can follow (a
   * classic queue on another cluster node: once that node cancelled it).
   */
  default CompletionStage<Boolean> removeConsumerAsync(Consumer consumer) {
    return CompletableFuture.completedFuture(removeConsumer(consumer));
  }

  /** Hands ready messages to consumers with credit. */
  void dispatch();

  // --- lifecycle (the virtual host calls these under its topology lock)

  /** Deletes the queue unless a condition forbids it; returns the consumers to notify. */
  Deletion delete(boolean ifUnused, boolean ifEmpty);

  /** Deletes an abandoned auto-delete queue, atomically with the check; else null. */
  Deletion deleteIfAbandoned();

  /** Deletes a queue unused for its x-expires period, atomically with the check; else null. */
  Deletion deleteIfExpired();

  record Deletion(int messageCount, List<Consumer> cancelled) {}
}
