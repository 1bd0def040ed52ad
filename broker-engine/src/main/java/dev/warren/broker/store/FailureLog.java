package dev.warren.broker.store;

import java.util.concurrent.TimeUnit;

/**
 * The log of one kind of disk access that can fail for a while (a full disk fails every write until
 * space comes back): a failure is logged with its cause, then at most one line a minute however
 * often it fails (or fails and works by turns), and one line when it works again after a logged
 * failure. Thread-safe.
 */
final class FailureLog {
  private static final System.Logger LOG = System.getLogger(FailureLog.class.getName());
  private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String action;
  private final String consequence;
  private volatile boolean failing;
  private boolean logged;
  private long lastLogged;
  private long unlogged;

  /**
   * @param action what fails, as in "{action} failed", e.g. "Writing message segments"
   * @param consequence what the store does about it, for the log line
   */
  FailureLog(String action, String consequence) {
    this.action = action;
    this.consequence = consequence;
  }

  synchronized void failed(Exception cause) {
    failing = true;
    long now = System.nanoTime();
    if (lastLogged != 0 && now - lastLogged < REPEAT_NANOS) {
      unlogged++;
      return;
    }
    if (unlogged == 0) {
      LOG.log(System.Logger.Level.ERROR, action + " failed; " + consequence, cause);
    } else {
      LOG.log(
          System.Logger.Level.ERROR,
          "{0} failed again ({1} times since the last report, the last: {2}); {3}",
          action,
          unlogged + 1,
          cause.toString(),
          consequence);
    }
    lastLogged = now;
    unlogged = 0;
    logged = true;
  }

  void succeeded() {
    if (failing) {
      synchronized (this) {
        failing = false;
        if (logged) {
          logged = false;
          LOG.log(System.Logger.Level.INFO, "{0} works again", action);
        }
      }
    }
  }
}
