package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.ClientTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-delivery-limit: a poison message is dead-lettered after too many returns. */
class DeliveryLimitTest extends ClientTestBase {

  @Test
  void aMessageReturnedMoreThanTheLimitIsDeadLettered() throws Exception {
    String dead = namedQueue("poison");
    String queue = unique("limited");
    // a quorum queue, where RabbitMQ has the delivery limit (Warren has it on any queue)
    channel.queueDeclare(
        queue,
        true,
        false,
        false,
        Map.of(
            "x-queue-type",
            "quorum",
            "x-delivery-limit",
            2,
            "x-dead-letter-exchange",
            "",
            "x-dead-letter-routing-key",
            dead));
    publish("", queue, "poison");

    GetResponse first = awaitGet(channel, queue, false);
    // no header before the first return (RabbitMQ 3.10's quorum queues put a 0 on basic.get)
    Map<String, Object> firstHeaders = first.getProps().getHeaders();
    assertTrue(
        firstHeaders == null || Long.valueOf(0).equals(firstHeaders.get("x-delivery-count")));
    channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
    GetResponse second = awaitGet(channel, queue, false);
    assertEquals(1L, second.getProps().getHeaders().get("x-delivery-count"));
    channel.basicNack(second.getEnvelope().getDeliveryTag(), false, true);
    GetResponse third = awaitGet(channel, queue, false);
    assertEquals(2L, third.getProps().getHeaders().get("x-delivery-count"));
    channel.basicNack(third.getEnvelope().getDeliveryTag(), false, true);

    GetResponse poisoned = awaitGet(dead);
    assertEquals("poison", text(poisoned.getBody()));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deaths =
        (List<Map<String, Object>>) poisoned.getProps().getHeaders().get("x-death");
    assertEquals("delivery_limit", deaths.get(0).get("reason").toString());
    awaitMessageCount(queue, 0);
    channel.queueDelete(queue);
  }
}
