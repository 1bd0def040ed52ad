package dev.warren.it;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for an asynchronous outcome with a deadline, checking every 50 ms. */
final class Poll {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Poll() {}

  /** Returns the first present value, or throws AssertionError with the description on timeout. */
  static <T> T until(String description, Supplier<Optional<T>> probe) {
    return until(description, DEFAULT_TIMEOUT, probe);
  }

  static <T> T until(String description, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + description);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
