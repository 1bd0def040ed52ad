package dev.warren.broker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Message TTL for one queue's ready messages: whether any of them may carry an expiry (so the head
 * is only checked when one might), and the single timer armed for the head's expiry. Expired
 * messages are only ever removed at the head, as in RabbitMQ. Guarded by the queue's lock; the
 * timer calls back into the queue, which takes its lock first.
 */
final class HeadExpiry {
  private final Runnable onTimer;
  private boolean mayExpire;
  private ScheduledFuture<?> task;
  private long taskAt = MessageExpiry.NEVER;

  /**
   * @param onTimer run by the timer thread when the head may have expired
   */
  HeadExpiry(Runnable onTimer) {
    this.onTimer = onTimer;
  }

  /** An entry joined the ready messages. */
  void added(QueueEntry entry) {
    if (entry.expiresAt() != MessageExpiry.NEVER) {
      mayExpire = true;
    }
  }

  /** An entry recovered at start joined them: its expiry may be the earliest. */
  void restored(QueueEntry entry) {
    if (entry.expiresAt() != MessageExpiry.NEVER) {
      mayExpire = true;
      schedule(entry.expiresAt());
    }
  }

  /**
   * Takes the expired entries off the head of {@code ready} and arms the timer for the next head.
   *
   * @return the expired entries, or null if none
   */
  List<QueueEntry> expireHead(ReadyMessages ready) {
    if (!mayExpire) {
      return null;
    }
    List<QueueEntry> expired = null;
    long now = System.currentTimeMillis();
    for (QueueEntry head = ready.peek(); head != null; head = ready.peek()) {
      if (!MessageExpiry.isExpired(head, now)) {
        schedule(head.expiresAt());
        return expired;
      }
      ready.poll();
      if (expired == null) {
        expired = new ArrayList<>();
      }
      expired.add(head);
    }
    mayExpire = false;
    return expired;
  }

  /** The timer fired: the next head needs a timer of its own. */
  void fired() {
    task = null;
    taskAt = MessageExpiry.NEVER;
  }

  /** The queue was deleted. */
  void cancel() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void schedule(long at) {
    if (at == MessageExpiry.NEVER || at >= taskAt) {
      return;
    }
    if (task != null) {
      task.cancel(false);
    }
    taskAt = at;
    task = ExpiryTimer.at(at, onTimer);
  }
}
