package dev.warren.broker.metrics;

/**
 * Rates per second of a fixed set of values, from the last two samples. Only the sampling thread
 * calls {@link #sample}; anyone reads the rates, which are replaced as a whole.
 */
public final class RateWindow {
  private static final double[] NONE = new double[0];
  private static final double NANOS_PER_SECOND = 1e9;

  private long[] previous;
  private long previousNanos;
  private volatile double[] rates = NONE;

  /** Takes a sample of {@code values} at {@code nanos} (System.nanoTime). */
  public void sample(long[] values, long nanos) {
    if (previous != null && previous.length == values.length && nanos > previousNanos) {
      double seconds = (nanos - previousNanos) / NANOS_PER_SECOND;
      double[] next = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        next[i] = (values[i] - previous[i]) / seconds;
      }
      rates = next;
    }
    previous = values.clone();
    previousNanos = nanos;
  }

  /** The rate of the value at {@code index}, or 0 before the second sample. */
  public double rate(int index) {
    double[] current = rates;
    return index < current.length ? current[index] : 0.0;
  }
}
