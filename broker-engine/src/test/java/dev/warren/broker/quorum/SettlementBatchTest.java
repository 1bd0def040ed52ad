package dev.warren.broker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.model.Settlement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A channel's settlements between two dispatches become one log command per consumer and kind. */
class SettlementBatchTest {
  private static final ConsumerKey A = new ConsumerKey("n1", 1, "a");
  private static final ConsumerKey B = new ConsumerKey("n1", 2, "b");

  private final SettlementBatch batch = new SettlementBatch();

  private List<QuorumCommand> drain() {
    List<QuorumCommand> proposed = new ArrayList<>();
    batch.drain(proposed::add);
    return proposed;
  }

  @Test
  void aMultipleAckOfFiftyMessagesIsOneSettleOfFiftyIds() {
    List<Long> ids = new ArrayList<>();
    for (long id = 1; id <= 50; id++) {
      batch.add(A, Settlement.ACK, id);
      ids.add(id);
    }

    assertEquals(List.of(new QuorumCommand.Settle(A, ids)), drain());
    assertEquals(List.of(), drain(), "drained: nothing is proposed twice");
  }

  @Test
  void kindsAndConsumersStayApartInTheOrderTheyCameFirst() {
    batch.add(A, Settlement.REQUEUE, 3);
    batch.add(B, Settlement.ACK, 4);
    batch.add(A, Settlement.REQUEUE, 5);
    batch.add(A, Settlement.DISCARD, 6);

    assertEquals(
        List.of(
            new QuorumCommand.Return(A, List.of(3L, 5L)),
            new QuorumCommand.Settle(B, List.of(4L)),
            new QuorumCommand.Discard(A, List.of(6L))),
        drain());
  }
}
