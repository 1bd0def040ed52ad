package dev.warren.broker.engine;

import dev.warren.broker.engine.UnackedMessages.Unacked;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's consuming side: delivery tags, the messages delivered and not yet acknowledged, and
 * the channel-wide (global) prefetch credit. Queues call {@link #tryReserve} and {@link #deliver}
 * from any thread with their own lock held; the lock here guards only this channel's tags and
 * unacknowledged set and is never held while calling into a queue, so queue → channel is the only
 * lock order.
 */
final class ChannelDeliveries {
  /** A delivery from another node's queue that waits for channel credit: no tag yet. */
  record Held(Consumer consumer, QueueEntry entry) {}

  private final ListenerMailbox mailbox;
  private final ChannelCounters counters;
  private final Object lock = new Object();
  private final UnackedMessages unacked = new UnackedMessages();
  private long lastTag;

  /** Another node's deliveries waiting for channel credit, oldest first (see {@link #deliver}). */
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  private volatile boolean closed;

  /** Consumer deliveries awaiting ack, for the channel-wide (global) prefetch limit. */
  private final AtomicInteger unackedForPrefetch = new AtomicInteger();

  private volatile int channelPrefetch;
  private volatile boolean flowActive = true;

  ChannelDeliveries(ListenerMailbox mailbox, ChannelCounters counters) {
    this.mailbox = mailbox;
    this.counters = counters;
  }

  /**
   * Whether the consumer may take a message now; a manual-ack one then holds channel credit. As in
   * RabbitMQ's limiter, a channel whose global prefetch is used up gives nothing to any of its
   * consumers, no-ack ones included, though their deliveries take no credit.
   */
  boolean tryReserve(Consumer consumer) {
    if (!flowActive || closed || !mailbox.listener().ready()) {
      return false;
    }
    if (consumer.noAck()) {
      int limit = channelPrefetch;
      return limit == 0 || unackedForPrefetch.get() < limit;
    }
    return reserveCredit();
  }

  /**
   * Posts a queue's message under the next tag; false (credit returned) once closed. A queue kept
   * elsewhere delivers what was decided there without reserving first, so its delivery takes its
   * channel credit here, and the settle that gives it back balances. Another node's classic queue
   * does not know this channel's limit, so what it sends beyond the credit is held back here, in
   * arrival order and without a tag, until a settle frees credit ({@link #releaseHeld}), as
   * RabbitMQ's limiter would have kept it in the queue. A quorum queue's log decides per consumer
   * (a channel-wide limit is refused when consuming from one), so its deliveries are only counted.
   */
  boolean deliver(Consumer consumer, QueueEntry entry) {
    boolean reserved = !consumer.noAck() && !consumer.queue().keptElsewhere();
    synchronized (lock) {
      if (closed) {
        if (reserved) {
          unackedForPrefetch.decrementAndGet();
        }
        return false;
      }
      if (!consumer.noAck() && !reserved) {
        if (consumer.queue().forwardedTo().isEmpty()) {
          unackedForPrefetch.incrementAndGet();
        } else if (!held.isEmpty() || !reserveCredit()) {
          held.add(new Held(consumer, entry)); // later ones wait too: per-consumer order
          return true;
        }
      }
      give(consumer, entry);
    }
    return true;
  }

  /** Lock held; the delivery's credit is taken already. */
  private void give(Consumer consumer, QueueEntry entry) {
    long tag = ++lastTag;
    counters.delivered(consumer.noAck(), entry.redelivered());
    if (consumer.noAck()) {
      consumer.queue().released(entry);
    } else {
      unacked.add(new Unacked(tag, entry, consumer.queue(), consumer));
    }
    post(consumer.tag(), tag, entry.redelivered(), entry.message());
  }

  /** Takes one delivery's channel credit, if the channel-wide limit allows it. */
  private boolean reserveCredit() {
    while (true) {
      int limit = channelPrefetch;
      int current = unackedForPrefetch.get();
      if (limit > 0 && current >= limit) {
        return false;
      }
      if (unackedForPrefetch.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /**
   * Posts held-back deliveries, oldest first, while channel credit is free; true if any was posted
   * (the caller flushes the mailbox).
   */
  boolean releaseHeld() {
    synchronized (lock) {
      boolean posted = false;
      while (!closed && !held.isEmpty() && reserveCredit()) {
        Held next = held.poll();
        give(next.consumer(), next.entry());
        posted = true;
      }
      return posted;
    }
  }

  /** Takes what is held back for {@code consumer} (all consumers if null), to go back. */
  List<Held> takeHeld(Consumer consumer) {
    synchronized (lock) {
      List<Held> taken = new ArrayList<>();
      held.removeIf(
          h -> {
            boolean match = consumer == null || h.consumer() == consumer;
            if (match) {
              taken.add(h);
            }
            return match;
          });
      return taken;
    }
  }

  /** Posts a direct reply-to reply (never acknowledged); false once closed or not consuming. */
  boolean deliverReply(String consumerTag, Message reply) {
    synchronized (lock) {
      if (closed || consumerTag == null) {
        return false;
      }
      post(consumerTag, ++lastTag, false, reply);
    }
    return true;
  }

  private void post(String consumerTag, long tag, boolean redelivered, Message message) {
    mailbox.post(
        new Delivery(
            consumerTag,
            tag,
            redelivered,
            message.exchange(),
            message.routingKey(),
            message.properties(),
            message.body()));
  }

  /** A basic.get's answer, from what the queue handed over ({@code taken} null: it was empty). */
  Optional<GetResult> got(Queue source, Queue.Taken taken, boolean noAck) {
    if (taken == null) {
      foundEmpty();
      return Optional.empty();
    }
    QueueEntry entry = taken.entry();
    long tag = tagGot(entry, source, noAck);
    if (noAck) {
      source.released(entry);
    }
    Message message = entry.message();
    return Optional.of(
        new GetResult(
            tag,
            entry.redelivered(),
            message.exchange(),
            message.routingKey(),
            taken.remaining(),
            message.properties(),
            message.body()));
  }

  /** The tag of a basic.get-ok; unless {@code noAck}, its message is outstanding until settled. */
  private long tagGot(QueueEntry entry, Queue source, boolean noAck) {
    synchronized (lock) {
      long tag = ++lastTag;
      counters.got(noAck, entry.redelivered());
      if (!noAck) {
        unacked.add(new Unacked(tag, entry, source, null));
      }
      return tag;
    }
  }

  /**
   * Counts a basic.get that found the queue empty; under the delivery lock because a replicated
   * queue answers on another thread than the channel's owner.
   */
  private void foundEmpty() {
    synchronized (lock) {
      counters.foundEmpty();
    }
  }

  /** What an ack, nack or reject names (see {@link UnackedMessages#take}). */
  List<Unacked> take(long tag, boolean multiple) {
    synchronized (lock) {
      return unacked.take(tag, multiple);
    }
  }

  /** See {@link dev.warren.broker.engine.api.BrokerChannel#storedId}. */
  Optional<StoredMessageId> storedId(long tag, String virtualHost) {
    Unacked delivered;
    synchronized (lock) {
      delivered = unacked.find(tag);
    }
    if (delivered == null) {
      return Optional.empty();
    }
    long storeId = delivered.entry().message().storeId();
    Queue queue = delivered.queue();
    boolean recovered =
        storeId != 0
            && queue.durable()
            && !queue.autoDelete()
            && queue.exclusiveOwner() == null
            && !queue.replicated();
    return recovered
        ? Optional.of(new StoredMessageId(virtualHost, queue.name(), storeId))
        : Optional.empty();
  }

  List<Unacked> takeAll() {
    synchronized (lock) {
      return unacked.takeAll();
    }
  }

  /** For listings: adds this channel's outstanding messages per queue to {@code counts}. */
  void countUnacked(java.util.Map<Queue, long[]> counts) {
    synchronized (lock) {
      unacked.countByQueue(counts);
    }
  }

  int unackedCount() {
    synchronized (lock) {
      return unacked.size();
    }
  }

  int channelPrefetch() {
    return channelPrefetch;
  }

  /** Puts back messages whose settlement was rolled back. */
  void restore(List<Unacked> settled) {
    synchronized (lock) {
      unacked.restore(settled);
    }
  }

  /** Stops deliveries; returns what was outstanding (a list the caller may extend), or null. */
  List<Unacked> close() {
    synchronized (lock) {
      if (closed) {
        return null;
      }
      closed = true;
      return unacked.takeAll();
    }
  }

  boolean closed() {
    return closed;
  }

  /** A message is being settled with its queue: a consumer delivery frees channel credit. */
  void settling(Unacked message) {
    if (message.consumer() != null) {
      unackedForPrefetch.decrementAndGet();
    }
  }

  /** Whether freed channel credit can matter, i.e. a channel-wide prefetch limit is set. */
  boolean limitsChannel() {
    return channelPrefetch > 0;
  }

  void channelPrefetch(int prefetchCount) {
    channelPrefetch = prefetchCount;
  }

  void flow(boolean active) {
    flowActive = active;
  }
}
