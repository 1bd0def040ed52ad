package dev.warren.broker.metrics;

import static dev.warren.broker.engine.api.MessageCounter.ACK;
import static dev.warren.broker.engine.api.MessageCounter.CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.DROP_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.GET;
import static dev.warren.broker.engine.api.MessageCounter.GET_EMPTY;
import static dev.warren.broker.engine.api.MessageCounter.GET_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH_CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.REDELIVER;
import static dev.warren.broker.engine.api.MessageCounter.RETURN_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.ROUTED;

import dev.warren.broker.engine.api.MessageCounter;

/**
 * One channel's message counters, kept where the channel already does the work so that counting
 * adds no synchronisation: what the owner does (publish, ack) in one tally, deliveries to its
 * consumers and basic.get under the channel's delivery lock in another, confirms under the confirm
 * lock in a third. Readers add the three up. Totals are laid out by {@link MessageCounter} ordinal,
 * followed by the {@link MessageSizes} slots.
 */
public final class ChannelCounters {
  static final int COUNTERS = MessageCounter.values().length;

  /** Length of the array {@link #addTo} fills: the counters, then the message size histogram. */
  public static final int TOTALS = COUNTERS + MessageSizes.SLOTS;

  private final Tally owner = new Tally(TOTALS);
  private final Tally deliveries = new Tally(COUNTERS);
  private final Tally confirms = new Tally(COUNTERS);
  private final RateWindow rates = new RateWindow();

  // --- the channel's owner

  /** A basic.publish of {@code size} body bytes arrived. */
  public void published(long size, boolean confirmMode) {
    owner.increment(PUBLISH.ordinal());
    if (confirmMode) {
      owner.increment(PUBLISH_CONFIRM.ordinal());
    }
    MessageSizes.observe(owner, COUNTERS, size);
  }

  /** A message was routed: to some queues, or returned (mandatory) or dropped. */
  public void routed(boolean reachedQueues, boolean mandatory) {
    MessageCounter outcome =
        reachedQueues ? ROUTED : mandatory ? RETURN_UNROUTABLE : DROP_UNROUTABLE;
    owner.increment(outcome.ordinal());
  }

  public void acknowledged(int messages) {
    owner.add(ACK.ordinal(), messages);
  }

  // --- under the channel's delivery lock

  /** basic.get took a message. */
  public void got(boolean noAck, boolean redelivered) {
    deliveries.increment((noAck ? GET_NO_ACK : GET).ordinal());
    if (redelivered) {
      deliveries.increment(REDELIVER.ordinal());
    }
  }

  /** basic.get found the queue empty. */
  public void foundEmpty() {
    deliveries.increment(GET_EMPTY.ordinal());
  }

  public void delivered(boolean noAck, boolean redelivered) {
    deliveries.increment((noAck ? DELIVER_NO_ACK : DELIVER).ordinal());
    if (redelivered) {
      deliveries.increment(REDELIVER.ordinal());
    }
  }

  // --- under the channel's confirm lock

  public void confirmed(int messages) {
    confirms.add(CONFIRM.ordinal(), messages);
  }

  // --- readers

  public long count(MessageCounter counter) {
    int index = counter.ordinal();
    return owner.get(index) + deliveries.get(index) + confirms.get(index);
  }

  /** Whether the channel has published, which makes it one of RabbitMQ's publishers. */
  public boolean publisher() {
    return owner.get(PUBLISH.ordinal()) > 0;
  }

  /** Adds the counters and the size histogram to {@code totals} ({@link #TOTALS} long). */
  public void addTo(long[] totals) {
    owner.addTo(totals);
    deliveries.addTo(totals);
    confirms.addTo(totals);
  }

  public RateWindow rates() {
    return rates;
  }
}
