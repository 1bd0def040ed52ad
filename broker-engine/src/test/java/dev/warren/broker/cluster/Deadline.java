package dev.warren.broker.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes (then fails with what was awaited). */
final class Deadline {
  private Deadline() {}

  /** Waits until {@code condition} is true; returns the milliseconds it took. */
  static long await(Duration limit, String what, Callable<Boolean> condition) throws Exception {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(20);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
