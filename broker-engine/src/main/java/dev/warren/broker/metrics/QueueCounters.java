package dev.warren.broker.metrics;

import static dev.warren.broker.engine.api.MessageCounter.ACK;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.GET;
import static dev.warren.broker.engine.api.MessageCounter.GET_EMPTY;
import static dev.warren.broker.engine.api.MessageCounter.GET_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH;
import static dev.warren.broker.engine.api.MessageCounter.REDELIVER;

import dev.warren.broker.engine.api.MessageCounter;
import java.util.List;

/**
 * One queue's message counters and its count of delivered, unsettled messages. Every method is
 * called with the queue's lock held, which already serialises what is counted; readers read racily.
 */
public final class QueueCounters {

  /** The counters a queue keeps, in the order RabbitMQ lists them. */
  public static final List<MessageCounter> KEPT =
      List.of(PUBLISH, DELIVER, DELIVER_NO_ACK, GET, GET_NO_ACK, GET_EMPTY, REDELIVER, ACK);

  private static final int UNACKED = ChannelCounters.COUNTERS;

  private final Tally tally = new Tally(ChannelCounters.COUNTERS + 1);
  private final RateWindow rates = new RateWindow();

  /** A published (not dead-lettered) message entered the queue. */
  public void published() {
    tally.increment(PUBLISH.ordinal());
  }

  /** A message went to a consumer; unless no-ack, it now awaits settlement. */
  public void delivered(boolean noAck, boolean redelivered) {
    count(noAck ? DELIVER_NO_ACK : DELIVER, noAck, redelivered);
  }

  /** basic.get took a message; unless no-ack, it now awaits settlement. */
  public void got(boolean noAck, boolean redelivered) {
    count(noAck ? GET_NO_ACK : GET, noAck, redelivered);
  }

  private void count(MessageCounter counter, boolean noAck, boolean redelivered) {
    tally.increment(counter.ordinal());
    if (redelivered) {
      tally.increment(REDELIVER.ordinal());
    }
    if (!noAck) {
      tally.increment(UNACKED);
    }
  }

  public void foundEmpty() {
    tally.increment(GET_EMPTY.ordinal());
  }

  /** A delivered message was acked, rejected or returned. */
  public void settled(boolean acknowledged) {
    tally.add(UNACKED, -1);
    if (acknowledged) {
      tally.increment(ACK.ordinal());
    }
  }

  public long count(MessageCounter counter) {
    return tally.get(counter.ordinal());
  }

  /** Messages delivered from this queue and not yet settled. */
  public long unacknowledged() {
    return tally.get(UNACKED);
  }

  public RateWindow rates() {
    return rates;
  }
}
