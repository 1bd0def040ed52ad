package dev.warren.bench;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How many messages each benchmark consumer took, and over how long: from its first message to its
 * latest, on the server's clock, so that the driver's own latency does not enter the rate.
 *
 * <p>A reset also closes the consumer's gate: its MDB then waits in its first {@code onMessage}
 * until the driver has published the run's messages and opens it, so that the MDB, like the
 * external consumer, starts on a full queue instead of competing with the publisher for the CPUs.
 *
 * <p>A CDI bean, not an EJB: the tally must cost next to nothing, as the external consumer's does.
 * Called as a singleton EJB it took a quarter of the transacted MDB's time (a second container
 * invocation per message, which joins the MDB's transaction), more than the adapter and the broker
 * together.
 */
@ApplicationScoped
public class Consumption {
  private static final long GATE_WAIT_SECONDS = 300;

  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

  /** What one consumer has taken since its last reset. */
  public record Snapshot(long messages, long elapsedNanos) {}

  /** Counts a message, once the consumer's gate is open. */
  public void record(String consumer) {
    Tally tally = tallies.computeIfAbsent(consumer, name -> new Tally(false));
    tally.awaitGate();
    tally.record(System.nanoTime());
  }

  public Snapshot of(String consumer) {
    Tally tally = tallies.get(consumer);
    return tally == null ? new Snapshot(0, 0) : tally.snapshot();
  }

  /** Starts a new tally with the gate closed. */
  public void reset(String consumer) {
    Tally previous = tallies.put(consumer, new Tally(true));
    if (previous != null) {
      previous.open(); // a delivery still waiting there counts in the old tally
    }
  }

  public void open(String consumer) {
    tallies.computeIfAbsent(consumer, name -> new Tally(false)).open();
  }

  private static final class Tally {
    private final CountDownLatch gate;
    private long messages;
    private long firstNanos;
    private long lastNanos;

    Tally(boolean closed) {
      gate = new CountDownLatch(closed ? 1 : 0);
    }

    void awaitGate() {
      try {
        gate.await(GATE_WAIT_SECONDS, TimeUnit.SECONDS); // a driver that died: count anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void open() {
      gate.countDown();
    }

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
