package dev.warren.broker.engine;

import dev.warren.broker.engine.ChannelDeliveries.Held;
import dev.warren.broker.engine.ChannelTransaction.PendingSettlement;
import dev.warren.broker.engine.UnackedMessages.Unacked;
import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Settlement;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's settlements on their way to the queues, and what they free: the channel-wide credit
 * an unacknowledged consumer delivery held goes first to the deliveries another node's queue sent
 * beyond it (they came earlier), then to this channel's queues in turn; the settled messages' own
 * queues dispatch last (for their other consumers and for what was requeued). Called on the channel
 * owner's thread, with no channel lock held.
 */
final class ChannelSettlements {
  private final ChannelDeliveries deliveries;
  private final ChannelConsumers consumers;
  private final ChannelCounters counters;
  private final ListenerMailbox mailbox;

  ChannelSettlements(
      ChannelDeliveries deliveries,
      ChannelConsumers consumers,
      ChannelCounters counters,
      ListenerMailbox mailbox) {
    this.deliveries = deliveries;
    this.consumers = consumers;
    this.counters = counters;
    this.mailbox = mailbox;
  }

  void apply(List<Unacked> messages, Settlement settlement) {
    if (messages.size() == 1) {
      // The common case, one ack at a time: no bookkeeping of touched queues.
      Unacked message = messages.get(0);
      settleWithQueue(message, settlement);
      afterSettling(message.consumer() != null);
      message.queue().dispatch();
      return;
    }
    List<Queue> touched = new ArrayList<>();
    boolean freedChannelCredit = false;
    for (Unacked message : messages) {
      settleWithQueue(message, settlement);
      freedChannelCredit |= message.consumer() != null;
      if (!touched.contains(message.queue())) {
        touched.add(message.queue());
      }
    }
    afterSettling(freedChannelCredit);
    touched.forEach(Queue::dispatch);
  }

  /** A committed transaction's settlements, each with its own kind. */
  void applyCommitted(List<PendingSettlement> settlements) {
    for (PendingSettlement pending : settlements) {
      settleWithQueue(pending.unacked(), pending.settlement());
    }
    afterSettling(!settlements.isEmpty());
    for (PendingSettlement pending : settlements) {
      pending.unacked().queue().dispatch();
    }
  }

  /**
   * Deliveries from another node that waited for channel credit go back to their owner. RabbitMQ
   * never took them out of the queue; here the owner did, so they are released there: back as they
   * were, not flagged redelivered, since the client never saw them.
   */
  static void returnHeld(List<Held> held) {
    for (Held delivery : held) {
      delivery.consumer().queue().settle(delivery.entry(), delivery.consumer(), Settlement.RELEASE);
    }
  }

  /**
   * The channel-wide credit changed (a settlement freed some, basic.qos set a new limit): what it
   * allows now is delivered.
   */
  void creditChanged() {
    releaseHeld();
    consumers.dispatchAll();
  }

  private void settleWithQueue(Unacked message, Settlement settlement) {
    if (settlement == Settlement.ACK) {
      counters.acknowledged(1);
    }
    deliveries.settling(message);
    message.queue().settle(message.entry(), message.consumer(), settlement);
  }

  private void afterSettling(boolean freedChannelCredit) {
    if (freedChannelCredit && deliveries.limitsChannel()) {
      creditChanged();
    }
  }

  private void releaseHeld() {
    if (deliveries.releaseHeld()) {
      mailbox.flush();
    }
  }
}
