package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.metrics.QueueCounters;
import dev.warren.broker.model.DeadLetterer.DeadLetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A classic queue: ready messages and consumers behind one lock of its own, so publishers and
 * consumers of different queues never contend. Lock order: the virtual host's topology lock may be
 * held when this lock is taken, never the other way round; channel callbacks made under this lock
 * only touch channel state ({@link DeliveryTarget}). Messages that die here (expired, over a limit,
 * rejected) are collected under the lock and dead-lettered after it is released. The parts it
 * delegates to ({@link ClassicQueueMessages}, {@link QueueConsumers}, {@link
 * ClassicQueueDispatcher}) have no lock of their own: they are only called with this one held.
 */
public final class ClassicQueue extends DeclaredQueue {
  private final boolean quorumType;
  private final VirtualHost host;

  /** The declared arguments with the policy in force; replaced whole when the policy changes. */
  private volatile QueueArguments effective;

  private final boolean home;
  private final QueueExpiry queueExpiry;

  private final ReentrantLock lock = new ReentrantLock();
  private final QueueCounters counters = new QueueCounters();
  private final QueueConsumers consumers;
  private final ClassicQueueMessages messages;
  private final ClassicQueueDispatcher dispatcher;
  private boolean deleted;

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
    this.queueExpiry = new QueueExpiry(host, this);
    QueueArguments parsedArguments = parsedArguments();
    this.home = homeNode.equals(host.node());
    this.quorumType = ReplicatedQueues.requested(arguments);
    this.effective = parsedArguments;
    this.host = host;
    this.consumers = new QueueConsumers(parsedArguments.singleActiveConsumer());
    this.messages =
        new ClassicQueueMessages(this, parsedArguments, persistence, this::expireFromTimer);
    this.dispatcher = new ClassicQueueDispatcher(consumers, messages, counters);
    if (parsedArguments.expires() != null && home) {
      queueExpiry.watch();
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
      if (expiresChanged) {
        queueExpiry.periodChanged();
      }
      dead = messages.follow(next);
    } finally {
      lock.unlock();
    }
    if (expiresChanged && next.expires() != null && home) {
      touch();
      queueExpiry.watch();
    }
    deadLetter(dead);
    dispatch();
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
    queueExpiry.touch();
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
        messages.release(message);
        return true;
      }
      counters.published();
      long now = System.currentTimeMillis();
      QueueEntry entry = messages.entry(message, now);
      if (messages.refuses(message)) {
        accepted = false;
        dead = messages.refuse(message);
      } else if (MessageExpiry.isExpired(entry, now)) {
        // TTL 0: delivered at once to a waiting consumer, or never.
        deliveredAtOnce = dispatcher.atOnce(entry);
        if (deliveredAtOnce == null) {
          messages.release(message);
          dead = List.of(new DeadLetter(message, DeadLetterer.EXPIRED));
        }
      } else {
        dead = messages.append(entry);
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
      dead = messages.expireHead();
      QueueEntry entry = messages.poll();
      if (entry == null) {
        counters.foundEmpty();
      } else {
        counters.got(noAck, entry.redelivered());
      }
      taken = entry == null ? null : new Taken(entry, messages.size());
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
    List<DeadLetter> dead;
    lock.lock();
    try {
      if (consumer != null) {
        consumer.settled();
      }
      counters.settled(settlement == Settlement.ACK);
      dead = messages.settle(entry, settlement, deleted);
    } finally {
      lock.unlock();
    }
    deadLetter(dead);
  }

  /** Returns the number of ready messages dropped; unacknowledged ones are not touched. */
  @Override
  public int purge() {
    lock.lock();
    try {
      return messages.clear();
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
    messages.release(entry.message());
  }

  /** Puts back a message recovered from the store at start; it may have been delivered before. */
  @Override
  public void restore(Message message) {
    lock.lock();
    try {
      messages.restore(message);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int messageCount() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(
          messages.size(),
          messages.bytes(),
          consumers.size(),
          consumers.singleActiveConsumer(),
          consumers.exclusiveConsumer(),
          queueExpiry.lastUsed());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isActive(Consumer consumer) {
    lock.lock();
    try {
      return consumers.isActive(consumer);
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

  // --- message expiry, dead-lettering

  private void expireFromTimer() {
    List<DeadLetter> dead;
    lock.lock();
    try {
      dead = messages.expireOnTimer();
    } finally {
      lock.unlock();
    }
    deadLetter(dead);
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
      if (!consumers.admits(consumer)) {
        throw Rejections.exclusiveConsumeUnavailable(virtualHost(), name());
      }
      consumers.add(consumer);
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
      return home && autoDelete() && consumers.abandoned() && !deleted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands ready messages to consumers with credit until either runs out ({@link
   * ClassicQueueDispatcher}). Each message is handed over under the lock (keeping FIFO order per
   * consumer); the listener is called after the lock is released.
   */
  @Override
  public void dispatch() {
    while (true) {
      DeliveryTarget target = null;
      List<DeadLetter> dead;
      lock.lock();
      try {
        dead = messages.expireHead();
        if (!deleted) {
          target = dispatcher.next();
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
      if (ifEmpty && !messages.isEmpty()) {
        throw Rejections.notEmpty(Rejections.queue(virtualHost(), name()));
      }
      markDeleted();
      List<Consumer> cancelled = consumers.removeAll();
      return new Deletion(messages.clear(), cancelled);
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
      if (!autoDelete() || !consumers.abandoned() || deleted) {
        return null;
      }
      markDeleted();
      return new Deletion(messages.clear(), List.of());
    } finally {
      lock.unlock();
    }
  }

  /** Deletes a queue unused for its x-expires period, atomically with the check; else null. */
  @Override
  public Deletion deleteIfExpired() {
    lock.lock();
    try {
      if (deleted || !consumers.isEmpty() || !queueExpiry.due(effective.expires())) {
        return null;
      }
      markDeleted();
      return new Deletion(messages.clear(), List.of());
    } finally {
      lock.unlock();
    }
  }

  private void markDeleted() {
    deleted = true;
    messages.cancelExpiry();
  }
}
