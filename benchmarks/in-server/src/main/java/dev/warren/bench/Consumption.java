package dev.warren.bench;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many messages each benchmark consumer took, and over how long: from its first message to its
 * latest, on the server's clock, so that the driver's own latency does not enter the rate.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Consumption {
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

  /** What one consumer has taken since its last reset. */
  public record Snapshot(long messages, long elapsedNanos) {}

  public void record(String consumer) {
    tallies.computeIfAbsent(consumer, name -> new Tally()).record(System.nanoTime());
  }

  public Snapshot of(String consumer) {
    Tally tally = tallies.get(consumer);
    return tally == null ? new Snapshot(0, 0) : tally.snapshot();
  }

  public void reset(String consumer) {
    tallies.remove(consumer);
  }

  private static final class Tally {
    private long messages;
    private long firstNanos;
    private long lastNanos;

    synchronized void record(long now) {
      if (messages++ == 0) {
        firstNanos = now;
      }
      lastNanos = now;
    }

    synchronized Snapshot snapshot() {
      return new Snapshot(messages, lastNanos - firstNanos);
    }
  }
}
