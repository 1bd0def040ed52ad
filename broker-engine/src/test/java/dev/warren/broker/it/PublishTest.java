package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** basic.publish: mandatory returns, unroutable messages and publishing errors. */
class PublishTest extends ClientTestBase {
  private final BlockingQueue<Return> returns = new LinkedBlockingQueue<>();

  @BeforeEach
  void recordReturns() {
    channel.addReturnListener(returns::add);
  }

  @Test
  void mandatoryUnroutableMessageIsReturnedWith312NoRoute() throws Exception {
    String exchange = unique("no-bindings");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false, true, null);
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder().messageId("returned-1").build();

    channel.basicPublish(exchange, "nowhere", true, properties, bytes("back to sender"));

    Return returned = nextReturn();
    assertEquals(312, returned.getReplyCode());
    assertEquals("NO_ROUTE", returned.getReplyText());
    assertEquals(exchange, returned.getExchange());
    assertEquals("nowhere", returned.getRoutingKey());
    assertEquals("back to sender", text(returned.getBody()));
    assertEquals("returned-1", returned.getProperties().getMessageId());
    channel.exchangeDelete(exchange);
  }

  @Test
  void mandatoryMessageToUnknownQueueOnDefaultExchangeIsReturned() throws Exception {
    String queue = unique("not-declared");

    channel.basicPublish("", queue, true, null, bytes("no such queue"));

    Return returned = nextReturn();
    assertEquals(312, returned.getReplyCode());
    assertEquals(queue, returned.getRoutingKey());
  }

  @Test
  void mandatoryMessageThatEndsAtAnExchangeWithoutQueuesIsReturned() throws Exception {
    String source = unique("chain-source");
    String destination = unique("chain-destination");
    channel.exchangeDeclare(source, BuiltinExchangeType.FANOUT);
    channel.exchangeDeclare(destination, BuiltinExchangeType.FANOUT);
    channel.exchangeBind(destination, source, "");

    channel.basicPublish(source, "", true, null, bytes("dead end"));

    assertEquals(312, nextReturn().getReplyCode());
    channel.exchangeDelete(source);
    channel.exchangeDelete(destination);
  }

  @Test
  void mandatoryRoutableMessageIsDeliveredAndNotReturned() throws Exception {
    String queue = serverNamedQueue();

    channel.basicPublish("", queue, true, null, bytes("routable"));

    assertEquals("routable", awaitBody(queue));
    assertNoReturn();
  }

  @Test
  void nonMandatoryUnroutableMessageIsDroppedSilently() throws Exception {
    channel.basicPublish("amq.direct", unique("unbound-key"), false, null, bytes("dropped"));

    assertNoReturn();
    assertTrue(channel.isOpen());
    String queue = serverNamedQueue();
    publish("", queue, "channel still usable");
    assertEquals("channel still usable", awaitBody(queue));
  }

  @Test
  void publishingToMissingExchangeClosesChannelWith404() {
    String exchange = unique("missing");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.basicPublish(exchange, "k", null, bytes("lost")));

    assertReply(close, 404, "NOT_FOUND - no exchange '" + exchange + "' in vhost '/'");
  }

  @Test
  void publishingWithImmediateFlagClosesConnectionWith540() throws IOException {
    String queue = serverNamedQueue();

    ShutdownSignalException close =
        expectConnectionClose(
            connection, c -> channel.basicPublish("", queue, false, true, null, bytes("now")));

    assertReply(close, 540, "NOT_IMPLEMENTED - immediate=true");
  }

  @Test
  void publishesFromSeveralChannelsAllArrive() throws Exception {
    String queue = serverNamedQueue();
    for (int i = 0; i < 5; i++) {
      connection.createChannel().basicPublish("", queue, null, bytes("from channel " + i));
    }

    awaitMessageCount(queue, 5);
  }

  @Test
  void publishOrderOfOneChannelIsKeptAcrossQueues() throws Exception {
    String first = serverNamedQueue();
    String second = serverNamedQueue();
    channel.queueBind(first, "amq.fanout", "");
    channel.queueBind(second, "amq.fanout", "");

    for (int i = 0; i < 20; i++) {
      publish("amq.fanout", "", Integer.toString(i));
    }

    for (int i = 0; i < 20; i++) {
      assertEquals(Integer.toString(i), awaitBody(first));
      assertEquals(Integer.toString(i), awaitBody(second));
    }
    channel.queueUnbind(first, "amq.fanout", "");
    channel.queueUnbind(second, "amq.fanout", "");
  }

  private Return nextReturn() throws InterruptedException {
    Return returned = returns.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(returned, "no basic.return within " + TIMEOUT);
    return returned;
  }

  private void assertNoReturn() throws InterruptedException {
    assertNull(returns.poll(ABSENCE.toMillis(), TimeUnit.MILLISECONDS));
  }
}
