package dev.warren.broker.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A history in the spirit of Jepsen's: every publish, confirm, nack, delivery (with its redelivered
 * flag) and ack that the clients of a fault test saw, by message id, recorded from any thread, and
 * the checks made on it at the end ({@link #check}).
 */
final class History {
  /** One thing that happened to a message after it was published. */
  private enum Step {
    DELIVERED,
    REDELIVERED,
    ACKED
  }

  /** When each message was published (System.nanoTime). */
  private final Map<Long, Long> published = new ConcurrentHashMap<>();

  private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
  private final Set<Long> nacked = ConcurrentHashMap.newKeySet();
  private final Map<Long, List<Step>> deliveries = new ConcurrentHashMap<>();
  private final AtomicLong firstConfirmAfterFault = new AtomicLong();
  private volatile long faultAt;

  void published(long id) {
    published.put(id, System.nanoTime());
  }

  void confirmed(long id) {
    confirmed.add(id);
    Long publishedAt = published.get(id);
    if (faultAt != 0 && publishedAt != null && publishedAt > faultAt) {
      firstConfirmAfterFault.compareAndSet(0, System.nanoTime());
    }
  }

  void nacked(long id) {
    nacked.add(id);
  }

  void delivered(long id, boolean redelivered) {
    steps(id).add(redelivered ? Step.REDELIVERED : Step.DELIVERED);
  }

  void acked(long id) {
    steps(id).add(Step.ACKED);
  }

  private List<Step> steps(long id) {
    return deliveries.computeIfAbsent(id, any -> Collections.synchronizedList(new ArrayList<>()));
  }

  int confirmedCount() {
    return confirmed.size();
  }

  /** Whether every confirmed message has been delivered at least once. */
  boolean allConfirmedDelivered() {
    return deliveries.keySet().containsAll(confirmed);
  }

  /** A fault happens now: the next confirm measures how long the cluster took to serve again. */
  void fault() {
    firstConfirmAfterFault.set(0);
    faultAt = System.nanoTime();
  }

  /**
   * Milliseconds from the last {@link #fault} to the first confirm of a message published after it,
   * -1 if none yet.
   */
  long millisToFirstConfirmAfterFault() {
    long first = firstConfirmAfterFault.get();
    return first == 0 ? -1 : (first - faultAt) / 1_000_000;
  }

  /**
   * The checks: every confirmed message was delivered; nothing was delivered that was never
   * published; a message delivered again while its earlier delivery was not acknowledged carries
   * the redelivered flag. A delivery after an acknowledgement is counted as a duplicate (at least
   * once allows it: the ack may have been lost with its node).
   */
  Verdict check() {
    Set<Long> lost = new TreeSet<>(confirmed);
    lost.removeAll(deliveries.keySet());
    Set<Long> unknown = new TreeSet<>(deliveries.keySet());
    unknown.removeAll(published.keySet());
    Set<Long> unflagged = new TreeSet<>();
    int duplicates = 0;
    for (Map.Entry<Long, List<Step>> entry : deliveries.entrySet()) {
      boolean seen = false;
      boolean acked = false;
      synchronized (entry.getValue()) {
        for (Step step : entry.getValue()) {
          if (step == Step.ACKED) {
            acked = true;
            continue;
          }
          if (seen && acked) {
            duplicates++;
          } else if (seen && step != Step.REDELIVERED) {
            unflagged.add(entry.getKey());
          }
          seen = true;
          acked = false;
        }
      }
    }
    return new Verdict(
        published.size(),
        confirmed.size(),
        nacked.size(),
        deliveries.size(),
        lost,
        unknown,
        unflagged,
        duplicates);
  }

  /** What {@link #check} found. */
  record Verdict(
      int published,
      int confirmed,
      int nacked,
      int delivered,
      Set<Long> lost,
      Set<Long> unknown,
      Set<Long> unflaggedRedeliveries,
      int duplicates) {
    @Override
    public String toString() {
      return "published "
          + published
          + ", confirmed "
          + confirmed
          + ", nacked "
          + nacked
          + ", delivered "
          + delivered
          + ", lost "
          + lost.size()
          + ", never published "
          + unknown.size()
          + ", redelivered without the flag "
          + unflaggedRedeliveries.size()
          + ", duplicates after an ack "
          + duplicates;
    }
  }
}
