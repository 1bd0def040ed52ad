package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.ClientTestBase;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-dead-letter-exchange: reasons, the x-death header, routing-key override and cycles. */
class DeadLetterTest extends ClientTestBase {

  /** A fanout dead-letter exchange and the queue behind it. */
  private String deadLetterQueue(String exchange) throws Exception {
    channel.exchangeDeclare(exchange, "fanout", false, true, null);
    String queue = namedQueue("dead");
    channel.queueBind(queue, exchange, "");
    return queue;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> deaths(GetResponse response) {
    return (List<Map<String, Object>>) response.getProps().getHeaders().get("x-death");
  }

  @Test
  void aRejectedMessageIsDeadLetteredWithXDeath() throws Exception {
    String dlx = unique("dlx");
    String dead = deadLetterQueue(dlx);
    String queue = unique("source");
    channel.queueDeclare(queue, false, false, true, Map.of("x-dead-letter-exchange", dlx));
    channel.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder().expiration("60000").build(),
        bytes("rejected"));
    GetResponse delivered = awaitGet(channel, queue, false);
    channel.basicReject(delivered.getEnvelope().getDeliveryTag(), false);

    GetResponse response = awaitGet(dead);
    assertEquals("rejected", text(response.getBody()));
    assertEquals(dlx, response.getEnvelope().getExchange());
    assertEquals(queue, response.getEnvelope().getRoutingKey());
    assertNull(response.getProps().getExpiration(), "expiration moves into x-death");
    Map<String, Object> death = deaths(response).get(0);
    assertEquals(1L, death.get("count"));
    assertEquals("rejected", death.get("reason").toString());
    assertEquals(queue, death.get("queue").toString());
    assertEquals("", death.get("exchange").toString());
    assertEquals(
        List.of(queue),
        ((List<?>) death.get("routing-keys")).stream().map(Object::toString).toList());
    assertEquals("60000", death.get("original-expiration").toString());
    assertTrue(death.get("time") instanceof Date);
    Map<String, Object> headers = response.getProps().getHeaders();
    assertEquals("rejected", headers.get("x-first-death-reason").toString());
    assertEquals(queue, headers.get("x-first-death-queue").toString());
    assertEquals("", headers.get("x-first-death-exchange").toString());
  }

  @Test
  void anExpiredMessageIsDeadLetteredWithTheRoutingKeyOverride() throws Exception {
    String dlx = unique("dlx-direct");
    channel.exchangeDeclare(dlx, "direct", false, true, null);
    String dead = namedQueue("dead-by-key");
    channel.queueBind(dead, dlx, "expired-orders");
    String queue = unique("ttl-source");
    channel.queueDeclare(
        queue,
        false,
        false,
        true,
        Map.of(
            "x-message-ttl",
            50,
            "x-dead-letter-exchange",
            dlx,
            "x-dead-letter-routing-key",
            "expired-orders"));
    publish("", queue, "too late");

    GetResponse response = awaitGet(dead);
    assertEquals("too late", text(response.getBody()));
    assertEquals("expired-orders", response.getEnvelope().getRoutingKey());
    assertEquals("expired", deaths(response).get(0).get("reason").toString());
  }

  @Test
  void aRoutingKeyOverrideDropsTheCcHeaderWhileXDeathKeepsTheOriginalKeys() throws Exception {
    String dead = namedQueue("dead-cc");
    String queue = unique("cc-source");
    channel.queueDeclare(
        queue,
        false,
        false,
        true,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dead));
    channel.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder().headers(Map.of("CC", List.of("elsewhere"))).build(),
        bytes("copied"));
    GetResponse delivered = awaitGet(channel, queue, false);
    channel.basicReject(delivered.getEnvelope().getDeliveryTag(), false);

    GetResponse response = awaitGet(dead);
    assertEquals(dead, response.getEnvelope().getRoutingKey());
    assertFalse(response.getProps().getHeaders().containsKey("CC"));
    assertEquals(
        List.of(queue, "elsewhere"),
        ((List<?>) deaths(response).get(0).get("routing-keys"))
            .stream().map(Object::toString).toList());
  }

  @Test
  void anOverflowingMessageIsDeadLetteredAsMaxlen() throws Exception {
    String dlx = unique("dlx-maxlen");
    String dead = deadLetterQueue(dlx);
    String queue = unique("bounded");
    channel.queueDeclare(
        queue, false, false, true, Map.of("x-max-length", 1, "x-dead-letter-exchange", dlx));
    publish("", queue, "first");
    publish("", queue, "second");
    GetResponse response = awaitGet(dead);
    assertEquals("first", text(response.getBody()));
    assertEquals("maxlen", deaths(response).get(0).get("reason").toString());
    assertEquals("second", awaitBody(queue));
  }

  @Test
  void xDeathCountsGrowOverSeveralRetryCycles() throws Exception {
    // work queue rejects into a retry queue whose TTL dead-letters back into the work queue
    String work = unique("work");
    String retry = unique("retry");
    channel.queueDeclare(
        work,
        false,
        false,
        true,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", retry));
    channel.queueDeclare(
        retry,
        false,
        false,
        true,
        Map.of(
            "x-message-ttl", 20, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", work));
    publish("", work, "retried");
    GetResponse response = null;
    for (int cycle = 1; cycle <= 3; cycle++) {
      response = awaitGet(channel, work, false);
      channel.basicReject(response.getEnvelope().getDeliveryTag(), false);
    }
    response = awaitGet(channel, work, true);
    List<Map<String, Object>> deaths = deaths(response);
    assertEquals(2, deaths.size());
    Map<String, Object> newest = deaths.get(0);
    assertEquals(retry, newest.get("queue").toString());
    assertEquals("expired", newest.get("reason").toString());
    assertEquals(3L, newest.get("count"));
    Map<String, Object> rejected = deaths.get(1);
    assertEquals(work, rejected.get("queue").toString());
    assertEquals("rejected", rejected.get("reason").toString());
    assertEquals(3L, rejected.get("count"));
    assertEquals(
        "rejected", response.getProps().getHeaders().get("x-first-death-reason").toString());
  }

  @Test
  void anAutomaticDeadLetterCycleIsBroken() throws Exception {
    // a TTL queue dead-lettering into itself: RabbitMQ drops the message instead of looping
    String queue = unique("self-cycle");
    channel.queueDeclare(
        queue,
        false,
        false,
        true,
        Map.of(
            "x-message-ttl", 20, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", queue));
    // confirmed = in the queue, so the count of 0 below means dropped, not yet arrived
    channel.confirmSelect();
    publish("", queue, "looping");
    channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
    awaitMessageCount(queue, 0);
    assertStaysEmpty(queue);
  }

  @Test
  void aMissingDeadLetterExchangeDropsTheMessage() throws Exception {
    String queue = unique("dlx-missing");
    channel.queueDeclare(
        queue, false, false, true, Map.of("x-dead-letter-exchange", unique("absent")));
    publish("", queue, "gone");
    GetResponse delivered = awaitGet(channel, queue, false);
    channel.basicNack(delivered.getEnvelope().getDeliveryTag(), false, false);
    awaitMessageCount(queue, 0);
    assertTrue(channel.isOpen());
  }
}
