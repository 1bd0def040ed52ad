package dev.warren.broker.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters written by one thread at a time and read by anyone, racily. The writer is either a
 * channel's owner or whoever holds the lock that guards the counted state (a queue's, a channel's
 * delivery lock), so an increment is a plain load and store: no atomic instruction, no fence.
 * Opaque access keeps each value whole and never going backwards for a reader. The array is padded
 * so that two tallies written by different threads never share a cache line.
 */
public final class Tally {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  /** 64 bytes of longs on each side keep neighbouring objects off the counters' cache lines. */
  private static final int PAD = 8;

  private final long[] slots;
  private final int size;

  public Tally(int size) {
    this.size = size;
    this.slots = new long[size + 2 * PAD];
  }

  public int size() {
    return size;
  }

  /** Only the tally's current writer may call this. */
  public void add(int index, long delta) {
    int slot = PAD + checked(index);
    SLOT.setOpaque(slots, slot, (long) SLOT.getOpaque(slots, slot) + delta);
  }

  public void increment(int index) {
    add(index, 1);
  }

  public long get(int index) {
    return (long) SLOT.getOpaque(slots, PAD + checked(index));
  }

  /** Adds every value of this tally to {@code totals}, which must be at least as long. */
  public void addTo(long[] totals) {
    for (int i = 0; i < size; i++) {
      totals[i] += get(i);
    }
  }

  private int checked(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return index;
  }
}
