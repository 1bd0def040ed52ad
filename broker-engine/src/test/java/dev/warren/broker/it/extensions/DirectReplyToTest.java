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

  /** Spring's RabbitTemplate probes the bare name with a passive declare before using it. */
  @Test
  void theReplyPseudoQueueAnswersDeclaresAsAQueueWithOneConsumer() throws Exception {
    AMQP.Queue.DeclareOk passive = channel.queueDeclarePassive(REPLY_TO);
    assertEquals(REPLY_TO, passive.getQueue());
    assertEquals(0, passive.getMessageCount());
    assertEquals(1, passive.getConsumerCount());

    // RabbitMQ treats every declare of these names as passive
    AMQP.Queue.DeclareOk active = channel.queueDeclare(REPLY_TO, false, true, true, null);
    assertEquals(REPLY_TO, active.getQueue());
  }

  @Test
  void aLiveReplyAddressAnswersAPassiveDeclareOnAnyChannelAndAStaleOne404() throws Exception {
    String requests = namedQueue("rpc-passive");
    String tag = channel.basicConsume(REPLY_TO, true, new RecordingConsumer(channel));
    channel.basicPublish(
        "", requests, new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build(), bytes("?"));
    String address = awaitGet(requests).getProps().getReplyTo();

    Channel other = connection.createChannel();
    AMQP.Queue.DeclareOk live = other.queueDeclarePassive(address);
    assertEquals(address, live.getQueue());
    assertEquals(0, live.getMessageCount());
    assertEquals(1, live.getConsumerCount());

    String forged = address.substring(0, address.length() - 5) + "xxxxx";
    assertReply(
        expectChannelClose(other, c -> c.queueDeclarePassive(forged)),
        404,
        "NOT_FOUND - no queue '" + forged + "' in vhost '/'");

    channel.basicCancel(tag);
    Channel after = connection.createChannel();
    assertReply(expectChannelClose(after, c -> c.queueDeclarePassive(address)), 404);
  }

  @Test
  void aReplyToAnUnknownAddressIsReturnedWhenMandatory() throws Exception {
    java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
    channel.addReturnListener(r -> returned.countDown());
    channel.basicPublish("", REPLY_TO + ".unknown", true, null, bytes("lost"));
    assertTrue(returned.await(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
  }
}
