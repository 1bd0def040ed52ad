package dev.warren.rar.adapter.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.rar.api.MessageProperties;
import jakarta.resource.ResourceException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundLocalTransactionTest {
  private final List<PendingPublish> routed = new ArrayList<>();
  private final OutboundLocalTransaction tx = new OutboundLocalTransaction(routed::addAll);
  private final PendingPublish publish =
      new PendingPublish("logs", "", MessageProperties.EMPTY, new byte[] {42});

  @Test
  void commitRoutesWhatWasPublishedSinceBegin() throws ResourceException {
    tx.begin();
    assertTrue(tx.hold(publish));
    assertTrue(routed.isEmpty());
    tx.commit();
    assertEquals(List.of(publish), routed);
    assertFalse(tx.hold(publish));
  }

  @Test
  void rollbackDropsWhatWasPublishedSinceBegin() throws ResourceException {
    tx.begin();
    tx.hold(publish);
    tx.rollback();
    assertTrue(routed.isEmpty());
  }

  @Test
  void commitWithoutBeginIsRefused() {
    assertThrows(ResourceException.class, tx::commit);
  }
}
