package dev.warren.broker.quorum;

import dev.warren.broker.model.Settlement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settlements a channel made in one go (a multiple ack, a nack of several, a closing channel's
 * requeue), gathered so that they go to the log as one command per consumer and kind: a basic.ack
 * of 50 messages is one {@link QuorumCommand.Settle} of 50 ids, not 50 entries. The channel settles
 * its batch, then calls the queue's dispatch (the {@code Queue.settle} contract), which drains it.
 * Several channels may settle with one queue at once: each drain takes what is there, and hands it
 * on before the next drain starts, so that one consumer's settlements reach the log in order.
 */
final class SettlementBatch {
  private record Kind(ConsumerKey consumer, Settlement settlement) {}

  private final Map<Kind, List<Long>> gathered = new LinkedHashMap<>();

  synchronized void add(ConsumerKey consumer, Settlement settlement, long id) {
    gathered.computeIfAbsent(new Kind(consumer, settlement), kind -> new ArrayList<>()).add(id);
  }

  /**
   * Hands the gathered settlements to {@code propose} as commands, in the order their kinds first
   * came, and empties the batch. {@code propose} must not block (it only appends to the log).
   */
  synchronized void drain(Consumer<QuorumCommand> propose) {
    gathered.forEach((kind, ids) -> propose.accept(command(kind, List.copyOf(ids))));
    gathered.clear();
  }

  private static QuorumCommand command(Kind kind, List<Long> ids) {
    return switch (kind.settlement()) {
      case ACK -> new QuorumCommand.Settle(kind.consumer(), ids);
      case REQUEUE -> new QuorumCommand.Return(kind.consumer(), ids);
      case DISCARD -> new QuorumCommand.Discard(kind.consumer(), ids);
      case RELEASE -> new QuorumCommand.Release(kind.consumer(), ids);
    };
  }
}
