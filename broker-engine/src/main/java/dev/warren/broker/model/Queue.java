package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue: FIFO ready messages and round-robin consumers behind one lock of its own, so publishers
 * and consumers of different queues never contend. Lock order: the virtual host's topology lock may
 * be held when this lock is taken, never the other way round; channel callbacks made under this
 * lock only touch channel state ({@link DeliveryTarget}).
 */
public final class Queue implements Destination {
  private final String name;
  private final String virtualHost;
  private final boolean durable;
  private final boolean autoDelete;
  private final Object exclusiveOwner;
  private final Map<String, Object> arguments;
  private final QueueArguments parsedArguments;
  private final Persistence persistence;

  private final ReentrantLock lock = new ReentrantLock();
  private final ReadyMessages ready = new InMemoryReadyMessages();
  private final List<Consumer> consumers = new ArrayList<>();
  private int nextConsumer;
  private long nextSequence;
  private boolean hadConsumer;
  private boolean deleted;

  Queue(
      String name,
      String virtualHost,
      boolean durable,
      boolean autoDelete,
      Object exclusiveOwner,
      Map<String, Object> arguments,
      Persistence persistence) {
    this.name = name;
    this.virtualHost = virtualHost;
    this.durable = durable;
    this.autoDelete = autoDelete;
    this.exclusiveOwner = exclusiveOwner;
    this.arguments = arguments;
    this.parsedArguments = QueueArguments.parse(arguments);
    this.persistence = persistence;
  }

  @Override
  public String name() {
    return name;
  }

  public boolean durable() {
    return durable;
  }

  public boolean autoDelete() {
    return autoDelete;
  }

  /** The connection an exclusive queue belongs to, or null. */
  public Object exclusiveOwner() {
    return exclusiveOwner;
  }

  public Map<String, Object> arguments() {
    return arguments;
  }

  public QueueArguments parsedArguments() {
    return parsedArguments;
  }

  /** Lax check (RabbitMQ's): usable by its owner, or by anyone if not exclusive. */
  public boolean accessibleTo(Object connection) {
    return exclusiveOwner == null || exclusiveOwner == connection;
  }

  // --- messages

  /**
   * Appends a routed message and dispatches it.
   *
   * @return false if the queue refused the message (the publisher is then nacked); a queue deleted
   *     meanwhile simply drops it, as an unrouted message
   */
  public boolean enqueue(Message message) {
    lock.lock();
    try {
      if (deleted) {
        release(message);
        return true;
      }
      ready.append(new QueueEntry(message, nextSequence++));
    } finally {
      lock.unlock();
    }
    dispatch();
    return true;
  }

  /** basic.get: the oldest ready message and how many remain, or null if empty. */
  public Taken take() {
    lock.lock();
    try {
      QueueEntry entry = ready.poll();
      return entry == null ? null : new Taken(entry, ready.size());
    } finally {
      lock.unlock();
    }
  }

  /** A message taken with basic.get and the number of messages left behind it. */
  public record Taken(QueueEntry entry, int remaining) {}

  /**
   * Settles one delivered message. Does not dispatch: callers settle a batch and then call {@link
   * #dispatch()} once.
   *
   * @param consumer the consumer it was delivered to, or null for basic.get
   */
  public void settle(QueueEntry entry, Consumer consumer, Settlement settlement) {
    lock.lock();
    try {
      if (consumer != null) {
        consumer.settled();
      }
      if (settlement == Settlement.REQUEUE && !deleted) {
        entry.markRedelivered();
        ready.requeue(entry);
      } else {
        release(entry.message());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of ready messages dropped; unacknowledged ones are not touched. */
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
  public void released(QueueEntry entry) {
    release(entry.message());
  }

  /** Puts back a message recovered from the store at start; it may have been delivered before. */
  public void restore(Message message) {
    lock.lock();
    try {
      QueueEntry entry = new QueueEntry(message, nextSequence++);
      entry.markRedelivered();
      ready.append(entry);
    } finally {
      lock.unlock();
    }
  }

  private void release(Message message) {
    if (message.storeId() != 0) {
      persistence.released(this, message);
    }
  }

  /** Drops the ready messages, releasing stored copies (only durable queues have any). */
  private int clearReady() {
    return durable ? ready.drain(entry -> release(entry.message())) : ready.clear();
  }

  public int messageCount() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  public int consumerCount() {
    lock.lock();
    try {
      return consumers.size();
    } finally {
      lock.unlock();
    }
  }

  // --- consumers

  /**
   * @throws BrokerException ACCESS_REFUSED if an exclusive consumer is involved, NOT_FOUND if the
   *     queue was deleted meanwhile
   */
  public void addConsumer(Consumer consumer) {
    lock.lock();
    try {
      if (deleted) {
        throw Rejections.noQueue(virtualHost, name);
      }
      boolean exclusiveHeld = !consumers.isEmpty() && consumers.get(0).exclusive();
      if (exclusiveHeld || (consumer.exclusive() && !consumers.isEmpty())) {
        throw Rejections.exclusiveConsumeUnavailable(virtualHost, name);
      }
      consumers.add(consumer);
      hadConsumer = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a consumer; its unacknowledged messages stay with its channel.
   *
   * @return whether the queue should now be auto-deleted (it had consumers and has none left)
   */
  public boolean removeConsumer(Consumer consumer) {
    lock.lock();
    try {
      int index = consumers.indexOf(consumer);
      if (index < 0) {
        return false;
      }
      consumers.remove(index);
      if (index < nextConsumer) {
        nextConsumer--;
      }
      return autoDelete && hadConsumer && consumers.isEmpty() && !deleted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands ready messages to consumers with credit, round-robin, until either runs out. Each message
   * is handed over under the lock (keeping FIFO order per consumer); the listener is called after
   * the lock is released.
   */
  public void dispatch() {
    while (true) {
      DeliveryTarget target;
      lock.lock();
      try {
        if (deleted || consumers.isEmpty() || ready.isEmpty()) {
          return;
        }
        Consumer consumer = nextConsumerWithCredit();
        if (consumer == null) {
          return;
        }
        QueueEntry entry = ready.poll();
        target = consumer.target();
        if (target.deliver(consumer, entry)) {
          consumer.delivered();
        } else {
          ready.requeue(entry);
        }
      } finally {
        lock.unlock();
      }
      target.flush();
    }
  }

  private Consumer nextConsumerWithCredit() {
    int count = consumers.size();
    for (int i = 0; i < count; i++) {
      int index = (nextConsumer + i) % count;
      Consumer candidate = consumers.get(index);
      if (candidate.hasCredit() && candidate.target().tryReserve(candidate)) {
        nextConsumer = (index + 1) % count;
        return candidate;
      }
    }
    return null;
  }

  // --- lifecycle (called by the virtual host under its topology lock)

  /** Deletes the queue unless a condition forbids it; returns the consumers to notify. */
  Deletion delete(boolean ifUnused, boolean ifEmpty) {
    lock.lock();
    try {
      if (deleted) {
        return new Deletion(0, List.of());
      }
      if (ifUnused && !consumers.isEmpty()) {
        throw Rejections.inUse(Rejections.queue(virtualHost, name));
      }
      if (ifEmpty && !ready.isEmpty()) {
        throw Rejections.notEmpty(Rejections.queue(virtualHost, name));
      }
      deleted = true;
      List<Consumer> cancelled = List.copyOf(consumers);
      consumers.clear();
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
  Deletion deleteIfAbandoned() {
    lock.lock();
    try {
      if (!autoDelete || !hadConsumer || !consumers.isEmpty() || deleted) {
        return null;
      }
      deleted = true;
      return new Deletion(clearReady(), List.of());
    } finally {
      lock.unlock();
    }
  }

  record Deletion(int messageCount, List<Consumer> cancelled) {}
}
