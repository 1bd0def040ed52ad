package dev.warren.broker.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/** Counts of {@link ChurnEvent}s since the start. Opens and closes are rare next to messages. */
public final class ChurnCounters {
  private final AtomicLongArray counts = new AtomicLongArray(ChurnEvent.values().length);

  public void record(ChurnEvent event) {
    counts.incrementAndGet(event.ordinal());
  }

  public long count(ChurnEvent event) {
    return counts.get(event.ordinal());
  }

  /** Every count, by {@link ChurnEvent} ordinal. */
  public long[] counts() {
    long[] values = new long[counts.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = counts.get(i);
    }
    return values;
  }
}
