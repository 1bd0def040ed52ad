package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import dev.warren.broker.it.ClientTestBase;
import dev.warren.broker.it.RecordingConsumer;
import org.junit.jupiter.api.Test;

/** amq.rabbitmq.reply-to: RPC replies straight to the requester's no-ack consumer. */
class DirectReplyToTest extends ClientTestBase {
  private static final String REPLY_TO = "amq.rabbitmq.reply-to";

  @Test
  void aReplyToTheRewrittenAddressReachesTheRequestersConsumer() throws Exception {
    String requests = namedQueue("rpc-requests");
    RecordingConsumer replies = new RecordingConsumer(channel);
    channel.basicConsume(REPLY_TO, true, replies);
    replies.awaitConsumeOk();
    channel.basicPublish(
        "",
        requests,
        new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).correlationId("42").build(),
        bytes("ping"));

    Channel server = connection.createChannel();
    var request = awaitGet(server, requests, true);
    String address = request.getProps().getReplyTo();
    assertTrue(address.startsWith(REPLY_TO + "."), address);
    assertNotEquals(REPLY_TO + ".", address);
    server.basicPublish(
        "", address, new AMQP.BasicProperties.Builder().correlationId("42").build(), bytes("pong"));

    Delivery reply = replies.next();
    assertEquals("pong", text(reply.getBody()));
    assertEquals("42", reply.getProperties().getCorrelationId());
    assertEquals(address, reply.getEnvelope().getRoutingKey());
  }

  @Test
  void consumingTheReplyQueueWithAcknowledgementsIsRefusedWith406() {
    assertReply(
        expectChannelClose(channel, c -> c.basicConsume(REPLY_TO, false, new RecordingConsumer(c))),
        406,
        "PRECONDITION_FAILED - reply consumer cannot acknowledge");
  }

  @Test
  void publishingWithReplyToBeforeConsumingIsRefusedWith406() throws Exception {
    String requests = namedQueue("rpc-no-consumer");
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build();
    assertReply(
        expectChannelClose(channel, c -> c.basicPublish("", requests, properties, bytes("x"))),
        406,
        "PRECONDITION_FAILED - fast reply consumer does not exist");
  }

  @Test
  void aReplyToAnUnknownAddressIsReturnedWhenMandatory() throws Exception {
    java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
    channel.addReturnListener(r -> returned.countDown());
    channel.basicPublish("", REPLY_TO + ".unknown", true, null, bytes("lost"));
    assertTrue(returned.await(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
  }
}
