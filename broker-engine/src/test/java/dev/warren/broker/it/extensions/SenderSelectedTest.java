package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.ClientTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CC and BCC headers add routing keys; BCC never reaches a consumer. */
class SenderSelectedTest extends ClientTestBase {

  @Test
  void ccAndBccKeysRouteCopiesAndBccIsStripped() throws Exception {
    String exchange = unique("cc");
    channel.exchangeDeclare(exchange, "direct", false, true, null);
    String main = namedQueue("to");
    String copy = namedQueue("cc");
    String blind = namedQueue("bcc");
    channel.queueBind(main, exchange, "to");
    channel.queueBind(copy, exchange, "cc-key");
    channel.queueBind(blind, exchange, "bcc-key");
    Map<String, Object> headers = Map.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key"));
    channel.basicPublish(
        exchange, "to", new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("memo"));

    for (String queue : List.of(main, copy, blind)) {
      GetResponse response = awaitGet(queue);
      assertEquals("memo", text(response.getBody()));
      assertEquals("to", response.getEnvelope().getRoutingKey());
      Map<String, Object> received = response.getProps().getHeaders();
      assertTrue(received.containsKey("CC"));
      assertFalse(received.containsKey("BCC"), "BCC must be stripped");
    }
  }

  /**
   * RabbitMQ matches the whole key set at every exchange on the way (Java client's
   * CcRoutes.boundExchanges): the CC key leads into the second exchange, where only the BCC key
   * matches the queue's binding.
   */
  @Test
  void everyExchangeToExchangeHopMatchesTheWholeSetOfKeys() throws Exception {
    String first = unique("cc-first");
    String second = unique("cc-second");
    channel.exchangeDeclare(first, "direct", false, true, null);
    channel.exchangeDeclare(second, "topic", false, true, null);
    channel.exchangeBind(second, first, "key-to-second");
    String queue = namedQueue("cc-hops");
    channel.queueBind(queue, second, "key-to-queue");
    Map<String, Object> headers =
        Map.of("CC", List.of("key-to-second"), "BCC", List.of("key-to-queue"));

    channel.basicPublish(
        first, "", new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("hop"));

    GetResponse response = awaitGet(queue);
    assertEquals("hop", text(response.getBody()));
    assertTrue(response.getProps().getHeaders().containsKey("CC"));
    assertFalse(response.getProps().getHeaders().containsKey("BCC"));
    assertStaysEmpty(queue);
  }

  @Test
  void aQueueMatchedByTwoKeysGetsOneCopy() throws Exception {
    String queue = namedQueue("cc-dedup");
    Map<String, Object> headers = Map.of("CC", List.of(queue));
    channel.basicPublish(
        "", queue, new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("once"));
    assertEquals("once", awaitBody(queue));
    assertStaysEmpty(queue);
  }
}
