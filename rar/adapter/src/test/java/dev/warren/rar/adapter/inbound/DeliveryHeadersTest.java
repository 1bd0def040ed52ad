package dev.warren.rar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.rar.api.AmqpMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryHeadersTest {

  private static Delivery delivery(boolean redelivered, BasicProperties properties) {
    return new Delivery("ctag", 1, redelivered, "orders", "eu.new", properties, new byte[] {1});
  }

  @Test
  void firstDeliveryCountsOneAndIsNotRedelivered() {
    AmqpMessage message =
        DeliveryHeaders.toMessage(
            delivery(false, BasicProperties.EMPTY.withHeaders(Map.of("k", "v"))));
    assertEquals(1, message.deliveryCount());
    assertFalse(message.redelivered());
    assertEquals("orders", message.exchange());
    assertEquals("eu.new", message.routingKey());
    assertEquals("v", message.headers().get("k"));
  }

  @Test
  void retryCopyCountsTheFailedDeliveryAndKeepsTheOriginalRoute() {
    Delivery first = delivery(false, BasicProperties.EMPTY);
    BasicProperties retry = DeliveryHeaders.forRetry(first);
    // the copy is published to the queue through the default exchange
    Delivery second = new Delivery("ctag", 2, false, "", "queue", retry, new byte[] {1});

    AmqpMessage message = DeliveryHeaders.toMessage(second);

    assertEquals(2, message.deliveryCount());
    assertTrue(message.redelivered());
    assertEquals("orders", message.exchange());
    assertEquals("eu.new", message.routingKey());
    assertEquals(
        3,
        DeliveryHeaders.deliveryCount(
            new Delivery(
                "c", 3, false, "", "queue", DeliveryHeaders.forRetry(second), new byte[0])));
  }

  @Test
  void brokerRedeliveryCountsAsAnEarlierDelivery() {
    assertEquals(2, DeliveryHeaders.deliveryCount(delivery(true, null)));
  }

  @Test
  void deadLetterPropertiesNameTheQueueItCameFrom() {
    BasicProperties parked = DeliveryHeaders.forDeadLetter(delivery(false, null), "tasks");
    assertEquals("tasks", parked.headers().get(DeliveryHeaders.PARKED_FROM));
    assertEquals(1L, parked.headers().get(DeliveryHeaders.FAILED_DELIVERIES));
  }
}
