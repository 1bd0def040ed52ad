package dev.warren.broker.metrics;

import dev.warren.broker.engine.api.MessageSizeHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * RabbitMQ's message size buckets (100 B to 100 MB, then everything larger) laid out in a {@link
 * Tally}: one slot per bucket, then the sum of the sizes.
 */
public final class MessageSizes {
  private static final long[] BOUNDS = {
    100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 50_000_000, 100_000_000
  };

  /** Slots a tally needs for the histogram: the buckets, the overflow bucket and the sum. */
  public static final int SLOTS = BOUNDS.length + 2;

  private static final int SUM = BOUNDS.length + 1;

  private MessageSizes() {}

  /** Counts a message of {@code size} bytes in the slots starting at {@code offset}. */
  public static void observe(Tally tally, int offset, long size) {
    tally.increment(offset + bucket(size));
    tally.add(offset + SUM, size);
  }

  static int bucket(long size) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (size <= BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  /** The histogram held in {@code totals} from {@code offset} on. */
  public static MessageSizeHistogram histogram(long[] totals, int offset) {
    List<Long> bounds = new ArrayList<>(BOUNDS.length);
    List<Long> counts = new ArrayList<>(BOUNDS.length + 1);
    for (long bound : BOUNDS) {
      bounds.add(bound);
    }
    for (int i = 0; i <= BOUNDS.length; i++) {
      counts.add(totals[offset + i]);
    }
    return new MessageSizeHistogram(bounds, counts, totals[offset + SUM]);
  }
}
