package dev.warren.rar.adapter.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, checking every 10 ms. */
public final class Poll {
  private Poll() {}

  public static void until(String description, BooleanSupplier condition) {
    until(description, Duration.ofSeconds(10), condition);
  }

  public static void until(String description, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + description);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
