package dev.warren.broker.store;

import dev.warren.broker.concurrent.DaemonThreads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the paged queues of one store share for living through disk errors: the logs of failed page
 * writes and reads, and one timer thread that tells a queue when to try reading its pages again.
 */
final class PagingRetries implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PagingRetries.class.getName());

  private final FailureLog writeFailures =
      new FailureLog(
          "Paging queue messages out",
          "they stay in memory (until the memory alarm) and are paged out once there is room");
  private final FailureLog readFailures =
      new FailureLog("Paging queue messages in", "they stay queued and the read is tried again");
  private final ScheduledExecutorService timer = DaemonThreads.scheduler("warren-paging-retry");

  FailureLog writeFailures() {
    return writeFailures;
  }

  FailureLog readFailures() {
    return readFailures;
  }

  /** Runs {@code task} (which takes a queue's lock) after {@code millis}, on the timer thread. */
  void after(long millis, Runnable task) {
    if (timer.isShutdown()) {
      return;
    }
    timer.schedule(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Paging retry failed", e);
          }
        },
        millis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /**
   * When to try a failing disk access again: soon after the first failure, then less and less often
   * (up to every 5 s) while it keeps failing. Guarded by the queue's lock.
   */
  static final class Backoff {
    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 1_000;

    private long delayMillis;
    private long nextAttemptNanos;

    boolean due() {
      return delayMillis == 0 || System.nanoTime() - nextAttemptNanos >= 0;
    }

    void failed() {
      delayMillis = delayMillis == 0 ? FIRST_MILLIS : Math.min(MAX_MILLIS, delayMillis * 2);
      nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    void succeeded() {
      delayMillis = 0;
    }

    long delayMillis() {
      return delayMillis;
    }
  }
}
