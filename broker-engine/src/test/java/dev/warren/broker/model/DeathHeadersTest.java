package dev.warren.broker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.protocol.BasicProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The x-death bookkeeping and RabbitMQ's cycle rule, without a broker. */
class DeathHeadersTest {

  private static Message published(String expiration) {
    BasicProperties properties = BasicProperties.EMPTY.withExpiration(expiration);
    return new Message("orders", "new", properties, new byte[0]);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> deaths(Message message) {
    return (List<Map<String, Object>>) message.properties().headers().get("x-death");
  }

  @Test
  void aSecondDeathInTheSameQueueForTheSameReasonIncrementsItsCountAndMovesItFirst() {
    Message once = DeathHeaders.deadLettered(published("5000"), "q1", "expired", "dlx", null);
    Message twice = DeathHeaders.deadLettered(once, "q2", "rejected", "dlx", null);
    Message thrice = DeathHeaders.deadLettered(twice, "q1", "expired", "dlx", null);

    List<Map<String, Object>> deaths = deaths(thrice);
    assertEquals(2, deaths.size());
    assertEquals("q1", deaths.get(0).get("queue"));
    assertEquals(2L, deaths.get(0).get("count"));
    assertEquals("5000", deaths.get(0).get("original-expiration"));
    assertEquals("q2", deaths.get(1).get("queue"));
    assertEquals("expired", thrice.properties().headers().get("x-first-death-reason"));
    assertEquals("orders", thrice.properties().headers().get("x-first-death-exchange"));
    assertNull(thrice.properties().expiration());
    assertEquals("dlx", thrice.exchange());
  }

  @Test
  void aRoutingKeyOverrideReplacesTheKeyAndDropsTheCcHeaderButXDeathKeepsTheOriginalKeys() {
    Message withCc =
        new Message(
            "orders",
            "new",
            BasicProperties.EMPTY.withHeaders(Map.of("CC", List.of("audit"))),
            new byte[0]);
    Message dead = DeathHeaders.deadLettered(withCc, "q", "rejected", "dlx", "failed");
    assertEquals("failed", dead.routingKey());
    assertFalse(dead.properties().headers().containsKey("CC"));
    assertEquals(List.of("new", "audit"), deaths(dead).get(0).get("routing-keys"));

    Message kept = DeathHeaders.deadLettered(withCc, "q", "rejected", "dlx", null);
    assertEquals("new", kept.routingKey());
    assertTrue(kept.properties().headers().containsKey("CC"));
  }

  @Test
  void anAutomaticLoopBackToAQueueIsACycleButOneWithARejectionIsNot() {
    Message expiredInA = DeathHeaders.deadLettered(published(null), "a", "expired", "x", null);
    Message expiredInB = DeathHeaders.deadLettered(expiredInA, "b", "expired", "x", null);
    assertTrue(DeathHeaders.isCycle(expiredInB, "a", "expired"));
    assertFalse(DeathHeaders.isCycle(expiredInB, "c", "expired"));

    Message rejectedInB = DeathHeaders.deadLettered(expiredInA, "b", "rejected", "x", null);
    assertFalse(DeathHeaders.isCycle(rejectedInB, "a", "rejected"));
    Message thenExpiredInC = DeathHeaders.deadLettered(rejectedInB, "c", "expired", "x", null);
    assertFalse(DeathHeaders.isCycle(thenExpiredInC, "a", "expired"));
  }
}
