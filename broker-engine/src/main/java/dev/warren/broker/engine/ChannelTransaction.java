package dev.warren.broker.engine;

import dev.warren.broker.engine.UnackedMessages.Unacked;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The work a transactional channel has buffered since its last commit or rollback, and its commit
 * and rollback. Settled messages have already left the channel's unacknowledged set (so a second
 * ack of the same tag fails at once, as in RabbitMQ) and go back into it on rollback. Owner thread
 * only; listings read the counts from another thread.
 */
final class ChannelTransaction {

  record PendingPublish(Exchange exchange, Message message, boolean mandatory) {}

  record PendingSettlement(Unacked unacked, Settlement settlement) {}

  private final MessageRouter router;
  private final ChannelDeliveries deliveries;
  private final ChannelSettlements channelSettlements;
  private final ListenerMailbox mailbox;
  private final Persistence persistence;
  private final List<PendingPublish> publishes = new ArrayList<>();
  private final List<PendingSettlement> settlements = new ArrayList<>();

  ChannelTransaction(
      MessageRouter router,
      ChannelDeliveries deliveries,
      ChannelSettlements channelSettlements,
      ListenerMailbox mailbox,
      Persistence persistence) {
    this.router = router;
    this.deliveries = deliveries;
    this.channelSettlements = channelSettlements;
    this.mailbox = mailbox;
    this.persistence = persistence;
  }

  void publish(Exchange exchange, Message message, boolean mandatory) {
    publishes.add(new PendingPublish(exchange, message, mandatory));
  }

  void settle(List<Unacked> unacked, Settlement settlement) {
    for (Unacked message : unacked) {
      settlements.add(new PendingSettlement(message, settlement));
    }
  }

  /**
   * Applies the transaction now; the stage completes once its persistent publishes and its acks are
   * on disk (at once without a store).
   */
  CompletionStage<Void> commit() {
    CommitDurability durability = new CommitDurability();
    for (PendingPublish publish : publishes) {
      router.route(
          publish.exchange(), publish.message(), publish.mandatory(), durability.publishes);
    }
    channelSettlements.applyCommitted(settlements);
    boolean touchedStore = !publishes.isEmpty() || !settlements.isEmpty();
    clear();
    // Returns of the committed publishes precede commit-ok.
    mailbox.flushPostedSoFar();
    return touchedStore ? durability.await(persistence) : CompletableFuture.completedFuture(null);
  }

  /** Discards buffered publishes and settlements; delivered messages stay delivered. */
  void rollback() {
    deliveries.restore(settledMessages());
    clear();
  }

  int publishCount() {
    return publishes.size();
  }

  int settlementCount() {
    return settlements.size();
  }

  /**
   * Ends the transaction with the channel: returns the messages whose settlement was pending, to be
   * requeued with the channel's other outstanding ones.
   */
  List<Unacked> close() {
    List<Unacked> settled = settledMessages();
    clear();
    return settled;
  }

  /** The messages whose settlement is pending, to hand back to the unacknowledged set. */
  private List<Unacked> settledMessages() {
    List<Unacked> messages = new ArrayList<>(settlements.size());
    for (PendingSettlement pending : settlements) {
      messages.add(pending.unacked());
    }
    return messages;
  }

  private void clear() {
    publishes.clear();
    settlements.clear();
  }
}
