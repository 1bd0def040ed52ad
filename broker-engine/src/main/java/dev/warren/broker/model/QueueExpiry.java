package dev.warren.broker.model;

/**
 * Queue TTL ({@code x-expires}, or a policy's {@code expires}): a queue with no consumers that
 * nobody redeclared or polled with basic.get for the period is deleted. One timer task per queue
 * re-arms itself for the next moment the queue could be due, so an idle queue costs nothing between
 * checks. A policy that changes the period starts a new chain of checks; the old one stops at its
 * next check (its generation is stale).
 */
final class QueueExpiry {
  private QueueExpiry() {}

  static void watch(VirtualHost host, ClassicQueue queue, long generation) {
    Long period = queue.effectiveArguments().expires();
    if (period != null) {
      ExpiryTimer.at(queue.lastUsed() + period, () -> check(host, queue, generation));
    }
  }

  private static void check(VirtualHost host, ClassicQueue queue, long generation) {
    Long period = queue.effectiveArguments().expires();
    if (queue.isDeleted() || period == null || queue.expiryGeneration() != generation) {
      return;
    }
    boolean idle = queue.consumerCount() == 0;
    long now = System.currentTimeMillis();
    long due = queue.lastUsed() + period;
    if (idle && now >= due && host.deleteIfExpired(queue)) {
      return;
    }
    ExpiryTimer.at(idle && now < due ? due : now + period, () -> check(host, queue, generation));
  }
}
