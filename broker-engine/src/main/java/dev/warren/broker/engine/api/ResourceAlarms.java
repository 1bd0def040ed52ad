package dev.warren.broker.engine.api;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The broker's resource alarms (memory high watermark, free disk limit). While one is raised,
 * connections that publish are blocked, as RabbitMQ does; consumers keep draining.
 */
public interface ResourceAlarms {

  /** Alarms that never go off, for brokers without a monitor. */
  ResourceAlarms NONE =
      new ResourceAlarms() {
        @Override
        public String blockReason() {
          return null;
        }

        @Override
        public AutoCloseable subscribe(Runnable listener) {
          return () -> {};
        }
      };

  /** Why publishing is blocked now (RabbitMQ's texts: "low on memory", "low on disk"), or null. */
  String blockReason();

  /**
   * Calls {@code listener} on a monitor thread whenever {@link #blockReason} changes.
   *
   * @return closing it unsubscribes
   */
  AutoCloseable subscribe(Runnable listener);

  /**
   * Waits until no alarm blocks publishing: how in-VM publishers are blocked, whose threads may
   * wait (the AMQP server stops reading the socket instead, never blocking an event loop).
   *
   * @return false if an alarm was still raised when the timeout ran out
   */
  default boolean awaitClear(Duration timeout) throws InterruptedException {
    if (blockReason() == null) {
      return true;
    }
    CountDownLatch cleared = new CountDownLatch(1);
    Runnable check =
        () -> {
          if (blockReason() == null) {
            cleared.countDown();
          }
        };
    AutoCloseable subscription = subscribe(check);
    try {
      check.run(); // it may have cleared before the subscription
      return cleared.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      try {
        subscription.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot unsubscribe from the resource alarms", e);
      }
    }
  }
}
