package dev.warren.broker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A queue's consumers in serving order. Consumer priorities ({@code x-priority}): the highest
 * priority with credit is served first, round-robin among equals; lower priorities only get
 * messages while every higher one is blocked. Single active consumer ({@code
 * x-single-active-consumer}): only the earliest registered consumer is served, and the next one
 * takes over when it leaves. An exclusive consumer is the only one. Guarded by the queue's lock.
 */
final class QueueConsumers {
  private final List<Consumer> consumers = new ArrayList<>();
  private final boolean singleActive;
  private int next;
  private boolean hadConsumer;

  QueueConsumers(boolean singleActive) {
    this.singleActive = singleActive;
  }

  /** Whether {@code consumer} may join: an exclusive consumer is always alone. */
  boolean admits(Consumer consumer) {
    return consumers.isEmpty() || (!consumers.get(0).exclusive() && !consumer.exclusive());
  }

  void add(Consumer consumer) {
    hadConsumer = true;
    if (singleActive) {
      consumers.add(consumer);
      return;
    }
    // After every consumer of the same or higher priority, so the list stays sorted and stable.
    int index = consumers.size();
    while (index > 0 && consumers.get(index - 1).priority() < consumer.priority()) {
      index--;
    }
    consumers.add(index, consumer);
    if (index < next) {
      next++;
    }
  }

  boolean remove(Consumer consumer) {
    int index = consumers.indexOf(consumer);
    if (index < 0) {
      return false;
    }
    consumers.remove(index);
    if (index < next) {
      next--;
    }
    return true;
  }

  boolean isEmpty() {
    return consumers.isEmpty();
  }

  int size() {
    return consumers.size();
  }

  /** Whether there were consumers and none is left: an auto-delete queue then goes. */
  boolean abandoned() {
    return hadConsumer && consumers.isEmpty();
  }

  /** Whether {@code consumer} is served: under single active consumer, only the first one. */
  boolean isActive(Consumer consumer) {
    return !singleActive || (!consumers.isEmpty() && consumers.get(0) == consumer);
  }

  /** The consumer a single-active-consumer queue serves, or null. */
  Consumer singleActiveConsumer() {
    return singleActive && !consumers.isEmpty() ? consumers.get(0) : null;
  }

  /** The exclusive consumer, or null. */
  Consumer exclusiveConsumer() {
    return !consumers.isEmpty() && consumers.get(0).exclusive() ? consumers.get(0) : null;
  }

  List<Consumer> removeAll() {
    List<Consumer> all = List.copyOf(consumers);
    consumers.clear();
    next = 0;
    return all;
  }

  /** The consumer the next message goes to, its channel credit reserved; null if none can take. */
  Consumer nextWithCredit() {
    if (consumers.isEmpty()) {
      return null;
    }
    if (singleActive) {
      Consumer active = consumers.get(0);
      return takes(active) ? active : null;
    }
    int count = consumers.size();
    int start = 0;
    while (start < count) {
      int priority = consumers.get(start).priority();
      int end = start + 1;
      while (end < count && consumers.get(end).priority() == priority) {
        end++;
      }
      int size = end - start;
      int first = next >= start && next < end ? next : start;
      for (int i = 0; i < size; i++) {
        int index = start + (first - start + i) % size;
        Consumer candidate = consumers.get(index);
        if (takes(candidate)) {
          next = index + 1 < end ? index + 1 : start;
          return candidate;
        }
      }
      start = end;
    }
    return null;
  }

  private static boolean takes(Consumer consumer) {
    return consumer.hasCredit() && consumer.target().tryReserve(consumer);
  }
}
