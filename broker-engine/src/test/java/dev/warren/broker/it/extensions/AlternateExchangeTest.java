package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.ClientTestBase;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The alternate-exchange argument takes unroutable messages before mandatory returns. */
class AlternateExchangeTest extends ClientTestBase {

  @Test
  void anUnroutableMessageGoesToTheAlternateExchange() throws Exception {
    String alternate = unique("ae");
    channel.exchangeDeclare(alternate, "fanout", false, true, null);
    String unrouted = namedQueue("unrouted");
    channel.queueBind(unrouted, alternate, "");
    String exchange = unique("with-ae");
    channel.exchangeDeclare(
        exchange, "direct", false, true, Map.of("alternate-exchange", alternate));
    String routed = namedQueue("routed");
    channel.queueBind(routed, exchange, "known");

    publish(exchange, "known", "routed normally");
    publish(exchange, "unknown", "to the alternate");
    assertEquals("routed normally", awaitBody(routed));
    GetResponse response = awaitGet(unrouted);
    assertEquals("to the alternate", text(response.getBody()));
    assertEquals(exchange, response.getEnvelope().getExchange());
    assertEquals("unknown", response.getEnvelope().getRoutingKey());
    assertStaysEmpty(routed);
  }

  @Test
  void aMandatoryMessageTakenByTheAlternateExchangeIsNotReturned() throws Exception {
    String alternate = unique("ae-mandatory");
    channel.exchangeDeclare(alternate, "fanout", false, true, null);
    String unrouted = namedQueue("ae-mandatory-target");
    channel.queueBind(unrouted, alternate, "");
    String exchange = unique("with-ae-mandatory");
    channel.exchangeDeclare(
        exchange, "direct", false, true, Map.of("alternate-exchange", alternate));
    CountDownLatch returned = new CountDownLatch(1);
    channel.addReturnListener(r -> returned.countDown());

    channel.basicPublish(exchange, "nowhere", true, null, bytes("caught"));
    assertEquals("caught", awaitBody(unrouted));
    assertTrue(!returned.await(ABSENCE.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void aMissingAlternateExchangeLeavesTheMessageUnroutable() throws Exception {
    String exchange = unique("with-missing-ae");
    channel.exchangeDeclare(
        exchange, "direct", false, true, Map.of("alternate-exchange", unique("absent")));
    CountDownLatch returned = new CountDownLatch(1);
    channel.addReturnListener(r -> returned.countDown());
    channel.basicPublish(exchange, "nowhere", true, null, bytes("returned"));
    assertTrue(returned.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }
}
