package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.metrics.QueueCounters;
import dev.warren.broker.model.DeadLetterer.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A classic queue: ready messages and consumers behind one lock of its own, so publishers and
 * consumers of different queues never contend. Lock order: the virtual host's topology lock may be
 * held when this lock is taken, never the other way round; channel callbacks made under this lock
 * only touch channel state ({@link DeliveryTarget}). Messages that die here (expired, over a limit,
 * rejected) are collected under the lock and dead-lettered after it is released.
 */
public final class ClassicQueue extends DeclaredQueue {
  private final boolean quorumType;
  private final Persistence persistence;
  private final VirtualHost host;

  /** The declared arguments with the policy in force; replaced whole when the policy changes. */
  private volatile QueueArguments effective;

  /** Follows {@link #effective}; guarded by the lock. */
  private LengthLimit lengthLimit;

  /** Bumped whenever the effective x-expires changes, so that a stale expiry timer stops. */
  private volatile long expiryGeneration;

  private final boolean home;

  private final ReentrantLock lock = new ReentrantLock();
  private final QueueCounters counters = new QueueCounters();
  private final SizedReadyMessages ready;
  private final QueueConsumers consumers;
  private long nextSequence;
  private boolean hadConsumer;
  private boolean deleted;

  private final HeadExpiry expiry = new HeadExpiry(this::expireFromTimer);
  private volatile long lastUsed = System.currentTimeMillis();

  ClassicQueue(
      String name,
      String virtualHost,
      boolean durable,
      boolean autoDelete,
      Object exclusiveOwner,
      Map<String, Object> arguments,
      Persistence persistence,
      VirtualHost host,
      String homeNode) {
    super(name, virtualHost, durable, autoDelete, exclusiveOwner, arguments, homeNode);
    QueueArguments parsedArguments = parsedArguments();
    this.home = homeNode.equals(host.node());
    this.quorumType = ReplicatedQueues.requested(arguments);
    this.effective = parsedArguments;
    this.persistence = persistence;
    this.host = host;
    this.lengthLimit = new LengthLimit(parsedArguments);
    this.consumers = new QueueConsumers(parsedArguments.singleActiveConsumer());
    this.ready =
        new SizedReadyMessages(
            parsedArguments.prioritised()
                ? new PriorityReadyMessages(
                    parsedArguments.maxPriority(), level -> new InMemoryReadyMessages())
                : persistence.pageable(this, new InMemoryReadyMessages()));
    if (parsedArguments.expires() != null && home) {
      QueueExpiry.watch(host, this, expiryGeneration);
    }
  }

  /** Kept under the queue's lock. */
  @Override
  public QueueCounters counters() {
    return counters;
  }

  @Override
  public QueueArguments effectiveArguments() {
    return effective;
  }

  /**
   * Applies a new policy at once, as RabbitMQ's queue process does: a lower length limit drops (and
   * dead-letters) the oldest messages, a new TTL applies to messages published from now on and
   * expires the head if it is due, a new x-expires restarts the queue's expiry timer.
   */
  @Override
  public void applyPolicy(Map<String, Object> definition) {
    QueueArguments next = QueuePolicy.resolve(parsedArguments(), definition, quorumType);
    List<DeadLetter> dead;
    boolean expiresChanged;
    lock.lock();
    try {
      if (deleted || next.equals(effective)) {
        return;
      }
      expiresChanged = !Objects.equals(effective.expires(), next.expires());
      effective = next;
      lengthLimit = new LengthLimit(next);
      if (expiresChanged) {
        expiryGeneration++;
      }
      dead = DeadLetterer.plus(expireHead(), dropHeadOverLimit());
    } finally {
      lock.unlock();
    }
    if (expiresChanged && next.expires() != null && home) {
      touch();
      QueueExpiry.watch(host, this, expiryGeneration);
    }
    deadLetter(dead);
    dispatch();
  }

  long expiryGeneration() {
    return expiryGeneration;
  }

  /**
   * Whether the declaring client was on this node (always, unless clustered): only there does the
   * queue delete itself (auto-delete, x-expires).
   */
  @Override
  public boolean home() {
    return home;
  }

  /** The queue was used (declared, consumed from, polled): restarts its x-expires period. */
  @Override
  public void touch() {
    lastUsed = System.currentTimeMillis();
  }

  long lastUsed() {
    return lastUsed;
  }

  boolean isDeleted() {
    lock.lock();
    try {
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  // --- messages

  /**
   * Appends a routed message and dispatches it.
   *
   * @return false if the queue refused the message (the publisher is then nacked); a queue deleted
   *     meanwhile simply drops it, as an unrouted message
   */
  @Override
  public boolean enqueue(Message message) {
    List<DeadLetter> dead = null;
    DeliveryTarget deliveredAtOnce = null;
    boolean accepted = true;
    lock.lock();
    try {
      if (deleted) {
        release(message);
        return true;
      }
      counters.published();
      long now = System.currentTimeMillis();
      QueueEntry entry =
          new QueueEntry(
              message,
              nextSequence++,
              MessageExpiry.expiresAt(message, effective.messageTtl(), now));
      if (lengthLimit.rejectsPublish() && lengthLimit.wouldOverflow(ready, message.body().length)) {
        release(message);
        accepted = false;
        if (lengthLimit.deadLettersRejected()) {
          dead = List.of(new DeadLetter(message, DeadLetterer.MAXLEN));
        }
      } else if (MessageExpiry.isExpired(entry, now)) {
        // TTL 0: delivered at once to a waiting consumer, or never.
        deliveredAtOnce = deliverAtOnce(entry);
        if (deliveredAtOnce == null) {
          release(message);
          dead = List.of(new DeadLetter(message, DeadLetterer.EXPIRED));
        }
      } else {
        ready.append(entry);
        expiry.added(entry);
        dead = DeadLetterer.plus(expireHead(), dropHeadOverLimit());
      }
    } finally {
      lock.unlock();
    }
    if (deliveredAtOnce != null) {
      deliveredAtOnce.flush();
    }
    deadLetter(dead);
    dispatch();
    return accepted;
  }

  /** basic.get: the oldest ready message and how many remain, or null if empty. */
  @Override
  public Taken take(boolean noAck) {
    Taken taken;
    List<DeadLetter> dead;
    lock.lock();
    try {
      touch();
      dead = expireHead();
      QueueEntry entry = ready.poll();
      if (entry == null) {
        counters.foundEmpty();
      } else {
        counters.got(noAck, entry.redelivered());
      }
      taken = entry == null ? null : new Taken(entry, ready.size());
    } finally {
      lock.unlock();
    }
    deadLetter(dead);
    return taken;
  }

  /**
   * Settles one delivered message. Does not dispatch: callers settle a batch and then call {@link
   * #dispatch()} once. A discarded message is dead-lettered (reason "rejected").
   *
   * @param consumer the consumer it was delivered to, or null for basic.get
   */
  @Override
  public void settle(QueueEntry entry, Consumer consumer, Settlement settlement) {
    List<DeadLetter> dead = null;
    lock.lock();
    try {
      if (consumer != null) {
        consumer.settled();
      }
      counters.settled(settlement == Settlement.ACK);
      if (settlement == Settlement.REQUEUE && !deleted) {
        dead = requeue(entry);
      } else if (settlement == Settlement.RELEASE && !deleted) {
        dead = putBack(entry);
      } else {
        release(entry.message());
        if (settlement == Settlement.DISCARD && !deleted) {
          dead = List.of(new DeadLetter(entry.message(), DeadLetterer.REJECTED));
        }
      }
    } finally {
      lock.unlock();
    }
    deadLetter(dead);
  }

  /** Puts a returned message back, unless it is over its x-delivery-limit. Lock held. */
  private List<DeadLetter> requeue(QueueEntry entry) {
    Long limit = effective.deliveryLimit();
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

  /** Puts a message back where it was, as it is. Lock held. */
  private List<DeadLetter> putBack(QueueEntry entry) {
    ready.requeue(entry);
    expiry.added(entry);
    return dropHeadOverLimit();
  }

  /** Returns the number of ready messages dropped; unacknowledged ones are not touched. */
  @Override
  public int purge() {
    lock.lock();
    try {
      return clearReady();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A delivered message left the queue without an acknowledgement to wait for (no-ack delivery,
   * expiry): its stored copy can go.
   */
  @Override
  public void released(QueueEntry entry) {
    release(entry.message());
  }

  /** Puts back a message recovered from the store at start; it may have been delivered before. */
  @Override
  public void restore(Message message) {
    lock.lock();
    try {
      // The original enqueue time is not stored: a recovered message's TTL restarts now.
      long expiresAt =
          MessageExpiry.expiresAt(message, effective.messageTtl(), System.currentTimeMillis());
      QueueEntry entry = new QueueEntry(message, nextSequence++, expiresAt);
      entry.markRedelivered();
      ready.append(entry);
      expiry.restored(entry);
    } finally {
      lock.unlock();
    }
  }

  private void release(Message message) {
    if (message.storeId() != 0) {
      persistence.released(this, message.storeId());
    }
  }

  /** Drops the ready messages, releasing stored copies (only durable queues have any). */
  private int clearReady() {
    return durable() ? ready.drain(storeId -> persistence.released(this, storeId)) : ready.clear();
  }

  @Override
  public int messageCount() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Stats stats() {
    lock.lock();
    try {
      Consumer first = consumers.isEmpty() ? null : consumers.first();
      return new Stats(
          ready.size(),
          ready.bytes(),
          consumers.size(),
          parsedArguments().singleActiveConsumer() ? first : null,
          first != null && first.exclusive() ? first : null,
          lastUsed);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isActive(Consumer consumer) {
    lock.lock();
    try {
      return !parsedArguments().singleActiveConsumer()
          || (!consumers.isEmpty() && consumers.first() == consumer);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int consumerCount() {
    lock.lock();
    try {
      return consumers.size();
    } finally {
      lock.unlock();
    }
  }

  // --- expiry, length limits, dead-lettering

  /** Drops the expired messages at the head and arms the timer for the next one. Lock held. */
  private List<DeadLetter> expireHead() {
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

  private void expireFromTimer() {
    List<DeadLetter> dead;
    lock.lock();
    try {
      expiry.fired();
      dead = expireHead();
    } finally {
      lock.unlock();
    }
    deadLetter(dead);
  }

  /** drop-head overflow: the oldest messages go until the limits hold. Lock held. */
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

  /** Republishes dead messages; called without this queue's lock (it enqueues elsewhere). */
  private void deadLetter(List<DeadLetter> dead) {
    if (dead != null && !dead.isEmpty()) {
      host.deadLetterer().deadLetter(this, dead);
    }
  }

  // --- consumers

  /**
   * @throws BrokerException ACCESS_REFUSED if an exclusive consumer is involved, NOT_FOUND if the
   *     queue was deleted meanwhile, PRECONDITION_FAILED for an invalid x-priority
   */
  @Override
  public void addConsumer(Consumer consumer) {
    QueueArgumentValidator.validateConsume(
        Rejections.queue(virtualHost(), name()), consumer.arguments());
    lock.lock();
    try {
      if (deleted) {
        throw Rejections.noQueue(virtualHost(), name());
      }
      boolean exclusiveHeld = !consumers.isEmpty() && consumers.first().exclusive();
      if (exclusiveHeld || (consumer.exclusive() && !consumers.isEmpty())) {
        throw Rejections.exclusiveConsumeUnavailable(virtualHost(), name());
      }
      consumers.add(consumer);
      hadConsumer = true;
      touch();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a consumer; its unacknowledged messages stay with its channel.
   *
   * @return whether the queue should now be auto-deleted (it had consumers and has none left)
   */
  @Override
  public boolean removeConsumer(Consumer consumer) {
    lock.lock();
    try {
      if (!consumers.remove(consumer)) {
        return false;
      }
      touch();
      return home && autoDelete() && hadConsumer && consumers.isEmpty() && !deleted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands ready messages to consumers with credit until either runs out, in {@link QueueConsumers}
   * order. Each message is handed over under the lock (keeping FIFO order per consumer); the
   * listener is called after the lock is released.
   */
  @Override
  public void dispatch() {
    while (true) {
      DeliveryTarget target = null;
      List<DeadLetter> dead;
      lock.lock();
      try {
        dead = expireHead();
        if (!deleted && !consumers.isEmpty() && !ready.isEmpty()) {
          Consumer consumer = consumers.nextWithCredit();
          QueueEntry entry = consumer == null ? null : ready.poll();
          if (entry != null) { // null: paged messages that cannot be read just now
            target = consumer.target();
            if (target.deliver(consumer, entry)) {
              consumer.delivered();
              counters.delivered(consumer.noAck(), entry.redelivered());
            } else {
              ready.requeue(entry);
            }
          }
        }
      } finally {
        lock.unlock();
      }
      deadLetter(dead);
      if (target == null) {
        return;
      }
      target.flush();
    }
  }

  /** Delivers a message that must not wait (TTL 0) if a consumer can take it now. Lock held. */
  private DeliveryTarget deliverAtOnce(QueueEntry entry) {
    if (!ready.isEmpty()) {
      return null;
    }
    Consumer consumer = consumers.nextWithCredit();
    if (consumer == null) {
      return null;
    }
    DeliveryTarget target = consumer.target();
    if (!target.deliver(consumer, entry)) {
      return null;
    }
    consumer.delivered();
    counters.delivered(consumer.noAck(), entry.redelivered());
    return target;
  }

  // --- lifecycle (called by the virtual host under its topology lock)

  /** Deletes the queue unless a condition forbids it; returns the consumers to notify. */
  @Override
  public Deletion delete(boolean ifUnused, boolean ifEmpty) {
    lock.lock();
    try {
      if (deleted) {
        return new Deletion(0, List.of());
      }
      if (ifUnused && !consumers.isEmpty()) {
        throw Rejections.inUse(Rejections.queue(virtualHost(), name()));
      }
      if (ifEmpty && !ready.isEmpty()) {
        throw Rejections.notEmpty(Rejections.queue(virtualHost(), name()));
      }
      markDeleted();
      List<Consumer> cancelled = consumers.removeAll();
      return new Deletion(clearReady(), cancelled);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Deletes an auto-delete queue that had consumers and has none left, atomically with the check.
   *
   * @return the deletion, or null if the queue is still in use (or not auto-delete)
   */
  @Override
  public Deletion deleteIfAbandoned() {
    lock.lock();
    try {
      if (!autoDelete() || !hadConsumer || !consumers.isEmpty() || deleted) {
        return null;
      }
      markDeleted();
      return new Deletion(clearReady(), List.of());
    } finally {
      lock.unlock();
    }
  }

  /** Deletes a queue unused for its x-expires period, atomically with the check; else null. */
  @Override
  public Deletion deleteIfExpired() {
    lock.lock();
    try {
      Long expires = effective.expires();
      boolean due = expires != null && System.currentTimeMillis() >= lastUsed + expires;
      if (deleted || !consumers.isEmpty() || !due) {
        return null;
      }
      markDeleted();
      return new Deletion(clearReady(), List.of());
    } finally {
      lock.unlock();
    }
  }

  private void markDeleted() {
    deleted = true;
    expiry.cancel();
  }
}
