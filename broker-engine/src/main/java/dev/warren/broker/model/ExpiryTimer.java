package dev.warren.broker.model;

import dev.warren.broker.concurrent.DaemonThreads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread behind message expiry and queue expiry of every queue: each queue keeps at
 * most one pending task per purpose (its head's expiry, its own x-expires), never one per message
 * and never a thread per queue. Tasks run briefly and only take the locks a publisher would.
 */
final class ExpiryTimer {
  private static final System.Logger LOG = System.getLogger(ExpiryTimer.class.getName());

  private static final ScheduledExecutorService TIMER = DaemonThreads.scheduler("warren-expiry");

  private ExpiryTimer() {}

  /** Runs the task at the given wall-clock time (or at once if it has passed). */
  static ScheduledFuture<?> at(long wallClockMillis, Runnable task) {
    long delay = Math.max(0, wallClockMillis - System.currentTimeMillis());
    return TIMER.schedule(() -> runLogged(task), delay, TimeUnit.MILLISECONDS);
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // a failing task must not kill the shared timer thread
      LOG.log(System.Logger.Level.WARNING, "Expiry task failed", e);
    }
  }
}
