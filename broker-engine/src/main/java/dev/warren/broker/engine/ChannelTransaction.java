package dev.warren.broker.engine;

import dev.warren.broker.engine.UnackedMessages.Unacked;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Settlement;
import java.util.ArrayList;
import java.util.List;

/**
 * The work a transactional channel has buffered since its last commit or rollback. Settled messages
 * have already left the channel's unacknowledged set (so a second ack of the same tag fails at
 * once, as in RabbitMQ) and go back into it on rollback.
 */
final class ChannelTransaction {

  record PendingPublish(Exchange exchange, Message message, boolean mandatory) {}

  record PendingSettlement(Unacked unacked, Settlement settlement) {}

  private final List<PendingPublish> publishes = new ArrayList<>();
  private final List<PendingSettlement> settlements = new ArrayList<>();

  void publish(Exchange exchange, Message message, boolean mandatory) {
    publishes.add(new PendingPublish(exchange, message, mandatory));
  }

  void settle(List<Unacked> unacked, Settlement settlement) {
    for (Unacked message : unacked) {
      settlements.add(new PendingSettlement(message, settlement));
    }
  }

  List<PendingPublish> publishes() {
    return publishes;
  }

  List<PendingSettlement> settlements() {
    return settlements;
  }

  /** The messages whose settlement is pending, to hand back to the unacknowledged set. */
  List<Unacked> settledMessages() {
    List<Unacked> messages = new ArrayList<>(settlements.size());
    for (PendingSettlement pending : settlements) {
      messages.add(pending.unacked());
    }
    return messages;
  }

  void clear() {
    publishes.clear();
    settlements.clear();
  }
}
