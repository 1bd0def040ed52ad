package dev.warren.broker.model;

import dev.warren.broker.model.DeadLetterer.DeadLetter;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic queue's ready messages and the rules that take them out before a consumer does: message
 * TTL (only ever at the head), the length limit with drop-head overflow, and the delivery limit on
 * returns. Guarded by the queue's lock, like every {@link ReadyMessages}; the messages that die are
 * returned as dead letters, which the queue republishes after releasing its lock.
 */
final class ClassicQueueMessages {
  private final Queue queue;
  private final Persistence persistence;
  private final SizedReadyMessages ready;
  private final HeadExpiry expiry;

  /** The queue's effective arguments, replaced whole when its policy changes. */
  private QueueArguments arguments;

  /** Follows {@link #arguments}. */
  private LengthLimit lengthLimit;

  private long nextSequence;

  /**
   * @param queue the queue under construction, whose stored copies these messages release
   * @param onExpiryTimer run by the timer thread when the head may have expired; it takes the
   *     queue's lock and calls {@link #expireOnTimer}
   */
  ClassicQueueMessages(
      Queue queue, QueueArguments arguments, Persistence persistence, Runnable onExpiryTimer) {
    this.queue = queue;
    this.persistence = persistence;
    this.expiry = new HeadExpiry(onExpiryTimer);
    this.arguments = arguments;
    this.lengthLimit = new LengthLimit(arguments);
    this.ready =
        new SizedReadyMessages(
            arguments.prioritised()
                ? new PriorityReadyMessages(
                    arguments.maxPriority(), level -> new InMemoryReadyMessages())
                : persistence.pageable(queue, new InMemoryReadyMessages()));
  }

  /**
   * A policy changed the effective arguments: a new TTL applies to messages from now on, a lower
   * length limit drops the oldest messages at once.
   *
   * @return the messages that died: expired at the head, or over the new limit
   */
  List<DeadLetter> follow(QueueArguments next) {
    arguments = next;
    lengthLimit = new LengthLimit(next);
    return DeadLetterer.plus(expireHead(), dropHeadOverLimit());
  }

  /** The next entry for a published message, its TTL counted from {@code now}. */
  QueueEntry entry(Message message, long now) {
    return new QueueEntry(
        message, nextSequence++, MessageExpiry.expiresAt(message, arguments.messageTtl(), now));
  }

  /** Whether the queue is full and its overflow refuses new messages (reject-publish). */
  boolean refuses(Message message) {
    return lengthLimit.rejectsPublish() && lengthLimit.wouldOverflow(ready, message.body().length);
  }

  /**
   * Drops a message the queue {@link #refuses}.
   *
   * @return its dead letter under reject-publish-dlx, else null
   */
  List<DeadLetter> refuse(Message message) {
    release(message);
    return lengthLimit.deadLettersRejected()
        ? List.of(new DeadLetter(message, DeadLetterer.MAXLEN))
        : null;
  }

  /**
   * Appends a published entry.
   *
   * @return the messages that died: expired at the head, or dropped over the length limit
   */
  List<DeadLetter> append(QueueEntry entry) {
    ready.append(entry);
    expiry.added(entry);
    return DeadLetterer.plus(expireHead(), dropHeadOverLimit());
  }

  /** Puts back a message recovered from the store at start; it may have been delivered before. */
  void restore(Message message) {
    // The original enqueue time is not stored: a recovered message's TTL restarts now.
    long expiresAt =
        MessageExpiry.expiresAt(message, arguments.messageTtl(), System.currentTimeMillis());
    QueueEntry entry = new QueueEntry(message, nextSequence++, expiresAt);
    entry.markRedelivered();
    ready.append(entry);
    expiry.restored(entry);
  }

  /**
   * Takes back a settled delivery: a requeued one returns (unless over its delivery limit), a
   * released one returns as it was, any other leaves for good and a discarded one is dead-lettered
   * (reason "rejected"). A deleted queue takes nothing back.
   */
  List<DeadLetter> settle(QueueEntry entry, Settlement settlement, boolean queueDeleted) {
    if (settlement == Settlement.REQUEUE && !queueDeleted) {
      return requeue(entry);
    }
    if (settlement == Settlement.RELEASE && !queueDeleted) {
      return putBack(entry);
    }
    release(entry.message());
    return settlement == Settlement.DISCARD && !queueDeleted
        ? List.of(new DeadLetter(entry.message(), DeadLetterer.REJECTED))
        : null;
  }

  /** Puts a returned message back, unless it is over its x-delivery-limit. */
  private List<DeadLetter> requeue(QueueEntry entry) {
    Long limit = arguments.deliveryLimit();
    if (limit != null) {
      int returns = entry.countReturn();
      if (DeliveryLimit.exceeded(limit, returns)) {
        release(entry.message());
        return List.of(new DeadLetter(entry.message(), DeadLetterer.DELIVERY_LIMIT));
      }
      entry.replaceMessage(DeliveryLimit.counted(entry.message(), returns));
    }
    entry.markRedelivered();
    return putBack(entry);
  }

  /** Puts a message back where it was, as it is. */
  private List<DeadLetter> putBack(QueueEntry entry) {
    ready.requeue(entry);
    expiry.added(entry);
    return dropHeadOverLimit();
  }

  /** The oldest ready message, or null (also while paged messages cannot be read just now). */
  QueueEntry poll() {
    return ready.poll();
  }

  /** Puts back an entry just polled that no consumer's channel took. */
  void unpoll(QueueEntry entry) {
    ready.requeue(entry);
  }

  int size() {
    return ready.size();
  }

  long bytes() {
    return ready.bytes();
  }

  boolean isEmpty() {
    return ready.isEmpty();
  }

  /** Drops the expired messages at the head and arms the timer for the next one. */
  List<DeadLetter> expireHead() {
    List<QueueEntry> expired = expiry.expireHead(ready);
    if (expired == null) {
      return null;
    }
    List<DeadLetter> dead = new ArrayList<>(expired.size());
    for (QueueEntry entry : expired) {
      release(entry.message());
      dead.add(new DeadLetter(entry.message(), DeadLetterer.EXPIRED));
    }
    return dead;
  }

  /** The head's timer fired: expires what is due and arms the timer for the next head. */
  List<DeadLetter> expireOnTimer() {
    expiry.fired();
    return expireHead();
  }

  /** drop-head overflow: the oldest messages go until the limits hold. */
  private List<DeadLetter> dropHeadOverLimit() {
    if (!lengthLimit.limited() || lengthLimit.rejectsPublish()) {
      return null;
    }
    List<DeadLetter> dropped = null;
    QueueEntry head;
    while (lengthLimit.exceeded(ready) && (head = ready.poll()) != null) {
      release(head.message());
      dropped =
          DeadLetterer.plus(dropped, List.of(new DeadLetter(head.message(), DeadLetterer.MAXLEN)));
    }
    return dropped;
  }

  /**
   * The message left the queue for good: its stored copy, if any, can go. Touches no state here, so
   * the queue may call it without its lock.
   */
  void release(Message message) {
    if (message.storeId() != 0) {
      persistence.released(queue, message.storeId());
    }
  }

  /** Drops the ready messages, releasing stored copies (only durable queues have any). */
  int clear() {
    return queue.durable()
        ? ready.drain(storeId -> persistence.released(queue, storeId))
        : ready.clear();
  }

  /** The queue was deleted: its head's timer stops. */
  void cancelExpiry() {
    expiry.cancel();
  }
}
