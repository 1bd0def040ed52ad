package dev.warren.broker.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The parts of an engine that a start has brought up so far, each with how to stop it. A start that
 * fails half-way and a normal close stop the same parts the same way: in the reverse order of their
 * start, so nothing is stopped while a part started after it still uses it.
 */
final class RunningParts {
  private final Deque<Runnable> stops = new ArrayDeque<>();

  /** Records a started part and returns it. */
  <T> T started(T part, Consumer<? super T> stop) {
    stops.push(() -> stop.accept(part));
    return part;
  }

  void stopAll() {
    while (!stops.isEmpty()) {
      stops.pop().run();
    }
  }
}
