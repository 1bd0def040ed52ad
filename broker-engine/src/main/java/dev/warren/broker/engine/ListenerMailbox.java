package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ReturnedMessage;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serialises the calls to one channel's listener. Any thread may post; whichever thread flushes
 * first delivers everything queued, so the listener is never called twice at once and sees events
 * in the order they were posted (delivery tags are assigned in posting order). Flushing happens
 * outside queue locks, so a slow listener never holds up a queue for other channels.
 */
final class ListenerMailbox {
  private static final System.Logger LOG = System.getLogger(ListenerMailbox.class.getName());

  private final ChannelListener listener;

  /** How long {@link #flushPostedSoFar} waits for another thread's hand-over at most. */
  private static final long MAX_HANDOVER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Queue<Object> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();
  // Counted before offering, so that handed >= a mark taken later proves every event offered
  // before the mark was handed over (hand-over is FIFO).
  private final AtomicLong posted = new AtomicLong();
  private final AtomicLong handed = new AtomicLong();

  ListenerMailbox(ChannelListener listener) {
    this.listener = listener;
  }

  ChannelListener listener() {
    return listener;
  }

  void post(Object event) {
    posted.incrementAndGet();
    events.offer(event);
  }

  /**
   * Returns once everything posted before the call has reached the listener, even if another thread
   * is handing it over. basic.cancel needs this: no delivery may follow its cancel-ok. Listeners do
   * not block, so the wait is short; it is bounded all the same.
   */
  void flushPostedSoFar() {
    long mark = posted.get();
    long deadline = System.nanoTime() + MAX_HANDOVER_WAIT_NANOS;
    while (true) {
      flush();
      if (handed.get() >= mark) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        LOG.log(
            System.Logger.Level.WARNING, "Listener hand-over still busy after 1 s; not waiting");
        return;
      }
      Thread.onSpinWait();
    }
  }

  void flush() {
    // Re-check after releasing the flag: an event posted while we were finishing must not strand.
    while (!events.isEmpty() && flushing.compareAndSet(false, true)) {
      try {
        Object event;
        while ((event = events.poll()) != null) {
          hand(event);
          handed.incrementAndGet();
        }
      } finally {
        flushing.set(false);
      }
    }
  }

  private void hand(Object event) {
    try {
      if (event instanceof Delivery delivery) {
        listener.deliver(delivery);
      } else if (event instanceof ReturnedMessage returned) {
        listener.returned(returned);
      } else if (event instanceof Confirmation confirmation) {
        listener.confirmed(confirmation.seqNo(), confirmation.multiple(), confirmation.ack());
      } else if (event instanceof Cancellation cancellation) {
        listener.consumerCancelled(cancellation.consumerTag());
      } else if (event instanceof Failure failure) {
        listener.consumerFailed(failure.consumerTag(), failure.error());
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Channel listener failed on " + event, e);
    }
  }

  /** A publisher confirm waiting for its turn. */
  record Confirmation(long seqNo, boolean multiple, boolean ack) {}

  /** A broker-initiated consumer cancellation waiting for its turn. */
  record Cancellation(String consumerTag) {}

  /** A consumer that could not be registered after all, waiting for its turn. */
  record Failure(String consumerTag, BrokerException error) {}
}
