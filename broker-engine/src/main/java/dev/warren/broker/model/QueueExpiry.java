package dev.warren.broker.model;

/**
 * Queue TTL ({@code x-expires}, or a policy's {@code expires}) of one classic queue: a queue with
 * no consumers that nobody redeclared or polled with basic.get for the period is deleted. One timer
 * task re-arms itself for the next moment the queue could be due, so an idle queue costs nothing
 * between checks. A policy that changes the period starts a new chain of checks; the old one stops
 * at its next check (its generation is stale).
 */
final class QueueExpiry {
  private final VirtualHost host;
  private final ClassicQueue queue;
  private volatile long lastUsed = System.currentTimeMillis();

  /** Bumped whenever the effective x-expires changes, so that a stale chain of checks stops. */
  private volatile long generation;

  QueueExpiry(VirtualHost host, ClassicQueue queue) {
    this.host = host;
    this.queue = queue;
  }

  /** The queue was used: its period restarts. */
  void touch() {
    lastUsed = System.currentTimeMillis();
  }

  long lastUsed() {
    return lastUsed;
  }

  /** The effective x-expires changed (under the queue's lock): the running chain stops. */
  void periodChanged() {
    generation++;
  }

  /** Whether the queue has gone unused for {@code period} (null: no x-expires, never). */
  boolean due(Long period) {
    return period != null && System.currentTimeMillis() >= lastUsed + period;
  }

  /** Starts a chain of checks for the effective period, if there is one. */
  void watch() {
    long generation = this.generation;
    Long period = queue.effectiveArguments().expires();
    if (period != null) {
      ExpiryTimer.at(lastUsed + period, () -> check(generation));
    }
  }

  private void check(long generation) {
    Long period = queue.effectiveArguments().expires();
    if (queue.isDeleted() || period == null || this.generation != generation) {
      return;
    }
    boolean idle = queue.consumerCount() == 0;
    long now = System.currentTimeMillis();
    long due = lastUsed + period;
    if (idle && now >= due && host.deleteIfExpired(queue)) {
      return;
    }
    ExpiryTimer.at(idle && now < due ? due : now + period, () -> check(generation));
  }
}
