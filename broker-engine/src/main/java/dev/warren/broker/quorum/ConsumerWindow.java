package dev.warren.broker.quorum;

import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.DeliveryTarget;
import dev.warren.broker.model.QueueEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What this node hands one of its consumers of a quorum queue. The log lets a manual-ack consumer
 * hold {@link #CREDIT_FACTOR} times its prefetch (the credit its node asks for when registering),
 * because a settle gives credit back only once it has gone round the log: with no more than the
 * prefetch, the consumer waited a Raft round for every settle, and fell behind. The node hands the
 * client at most its prefetch of unacked deliveries and keeps the rest here, handing one on for
 * each one the client settles, before the settle is applied. The log stays the truth: what the node
 * held for a consumer that is cancelled (or whose channel closes) is released to the log after the
 * cancel ({@link QuorumCommand.Release}: back as it was, neither counted nor flagged redelivered,
 * since the client never saw it); after a crash of the node the log returns it with the rest,
 * counted and flagged, as RabbitMQ does with what it had sent towards a dead node's channels.
 */
final class ConsumerWindow {
  /** How many times its prefetch the log hands a manual-ack consumer ahead of its settles. */
  static final int CREDIT_FACTOR = 4;

  private final Consumer consumer;
  private final Function<QueuedMessage, QueueEntry> entry;

  /** The client's limit of unacked deliveries; 0 for none (everything goes at once). */
  private final int prefetch;

  private final ArrayDeque<QueuedMessage> unsent = new ArrayDeque<>();
  private int unacked;

  /** Set once the consumer went: a delivery the log still makes is refused, not kept. */
  private boolean gone;

  ConsumerWindow(Consumer consumer, Function<QueuedMessage, QueueEntry> entry) {
    this.consumer = consumer;
    this.entry = entry;
    this.prefetch = consumer.noAck() ? 0 : consumer.prefetch();
  }

  Consumer consumer() {
    return consumer;
  }

  /** The credit the log gives the consumer (its checkout's prefetch): 0 for none. */
  int credit() {
    return (int) Math.min(Integer.MAX_VALUE, (long) prefetch * CREDIT_FACTOR);
  }

  /**
   * A delivery the log made to the consumer: to the client now if its prefetch allows, else once it
   * has settled enough. False if the consumer or its channel is gone (it did not reach the client).
   */
  boolean offer(QueuedMessage message) {
    boolean sent;
    synchronized (this) {
      if (gone) {
        return false;
      }
      if (!unsent.isEmpty() || (prefetch > 0 && unacked >= prefetch)) {
        unsent.add(message);
        return true;
      }
      sent = send(message);
    }
    if (sent) {
      consumer.target().flush();
    }
    return sent;
  }

  /** The client settled one of its deliveries (acked, rejected, requeued). */
  synchronized void settled() {
    if (unacked > 0) {
      unacked--;
    }
  }

  /**
   * Hands the client what its settles made room for; returns the ids of those the channel no longer
   * took (it closed), which never reached the client.
   */
  List<Long> sendUnsent() {
    List<Long> refused = new ArrayList<>();
    boolean sent = false;
    synchronized (this) {
      while (!unsent.isEmpty() && unacked < prefetch) {
        QueuedMessage next = unsent.poll();
        if (send(next)) {
          sent = true;
        } else {
          refused.add(next.id());
        }
      }
    }
    if (sent) {
      consumer.target().flush();
    }
    return refused;
  }

  /** The consumer goes: the ids of what it never handed to the client, which it forgets. */
  synchronized List<Long> takeUnsent() {
    gone = true;
    List<Long> ids = new ArrayList<>(unsent.size());
    unsent.forEach(message -> ids.add(message.id()));
    unsent.clear();
    return ids;
  }

  /** Holds the lock, so that deliveries reach the channel in the log's order. */
  private boolean send(QueuedMessage message) {
    DeliveryTarget target = consumer.target();
    if (target == null || !target.deliver(consumer, entry.apply(message))) {
      return false;
    }
    if (prefetch > 0) {
      unacked++;
    }
    return true;
  }
}
