package dev.warren.broker.store;

/**
 * The copy of a stored message in its segment, by which a queue can page the message out (a
 * reference to the segment record instead of a second copy of the message in its pages).
 */
interface SegmentCopy {

  /**
   * The record is on disk for good; {@link #segmentIndex}, {@link #offset} and {@link #length} say
   * where.
   */
  boolean durable();

  /** The record is not durable yet but may become so (its write is still pending). */
  boolean pending();

  long segmentIndex();

  /** Where the framed record starts in its segment file. */
  long offset();

  /** The framed record's length, header included. */
  int length();

  /** A record found on disk at start: durable by definition. */
  record Recovered(long segmentIndex, long offset, int length) implements SegmentCopy {
    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public boolean pending() {
      return false;
    }
  }
}
