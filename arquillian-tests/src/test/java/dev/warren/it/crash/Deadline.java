package dev.warren.it.crash;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a limit passes: the waits of these process-level tests. */
final class Deadline {
  private static final Duration POLL = Duration.ofMillis(200);

  private Deadline() {}

  static void await(Duration limit, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }
}
