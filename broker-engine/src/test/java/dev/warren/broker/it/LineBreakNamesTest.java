package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.rabbitmq.client.AMQP;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ strips CR and LF from the names in declares, deletes and bindings: a name read from a
 * file or a terminal with its line break still names the same queue or exchange.
 */
class LineBreakNamesTest extends ClientTestBase {

  @Test
  void aQueueDeclaredWithATrailingNewlineIsTheQueueWithoutIt() throws Exception {
    String queue = unique("lf-queue");

    AMQP.Queue.DeclareOk declared = channel.queueDeclare(queue + "\n", false, false, true, null);

    assertEquals(queue, declared.getQueue());
    assertEquals(queue, channel.queueDeclarePassive(queue).getQueue());
    assertEquals(queue, channel.queueDeclarePassive("\r\n" + queue + "\r").getQueue());
    publish("", queue, "reached");
    assertEquals("reached", awaitBody(queue));
  }

  @Test
  void exchangeNamesLoseTheirLineBreaksInDeclaresBindingsAndDeletes() throws Exception {
    String exchange = unique("lf-exchange");
    String queue = namedQueue("lf-bound");
    channel.exchangeDeclare(exchange + "\r\n", "direct", false, false, null);
    channel.exchangeDeclarePassive(exchange);

    channel.queueBind(queue + "\n", exchange + "\n", "key");
    publish(exchange, "key", "routed");
    assertEquals("routed", awaitBody(queue));

    channel.queueUnbind(queue + "\r", exchange + "\r", "key");
    publish(exchange, "key", "dropped");
    assertStaysEmpty(queue);

    channel.exchangeDelete(exchange + "\n");
    assertFalse(exchangeExists(exchange));
    channel.queueDelete("\n" + queue);
    assertFalse(queueExists(queue));
  }
}
