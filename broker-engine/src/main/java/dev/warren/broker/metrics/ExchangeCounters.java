package dev.warren.broker.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * One exchange's counters. Any number of channels publish to one exchange at once (every publisher
 * of a work queue uses the default exchange), so these are striped adders rather than one contended
 * word.
 */
public final class ExchangeCounters {
  private final LongAdder publishedIn = new LongAdder();
  private final LongAdder routedOut = new LongAdder();
  private final LongAdder returned = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final RateWindow rates = new RateWindow();

  /** A message published into the exchange reached {@code queues} queues (or a reply consumer). */
  public void routed(int queues) {
    publishedIn.increment();
    if (queues > 0) {
      routedOut.add(queues);
    }
  }

  /** A message published into the exchange reached nothing: returned if mandatory, else dropped. */
  public void unroutable(boolean mandatory) {
    publishedIn.increment();
    (mandatory ? returned : dropped).increment();
  }

  public long publishedIn() {
    return publishedIn.sum();
  }

  public long routedOut() {
    return routedOut.sum();
  }

  public long returned() {
    return returned.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  public RateWindow rates() {
    return rates;
  }
}
