package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import dev.warren.broker.it.ClientTestBase;
import dev.warren.broker.it.RecordingConsumer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queue and consume arguments are checked as RabbitMQ checks them: 406 with its reason term. */
class QueueArgumentValidationTest extends ClientTestBase {

  private void assertDeclareRefused(Map<String, Object> arguments, String textStart) {
    String queue = unique("invalid-args");
    assertReply(
        expectChannelClose(channel, c -> c.queueDeclare(queue, false, false, false, arguments)),
        406,
        "PRECONDITION_FAILED - invalid arg '" + textStart);
  }

  @Test
  void messageTtlOfWrongTypeIsRefusedWith406() {
    assertDeclareRefused(Map.of("x-message-ttl", "soon"), "x-message-ttl' for queue '");
  }

  @Test
  void negativeMessageTtlIsRefusedWith406() throws Exception {
    String queue = unique("negative-ttl");
    var close =
        expectChannelClose(
            channel, c -> c.queueDeclare(queue, false, false, false, Map.of("x-message-ttl", -1)));
    assertReply(
        close,
        406,
        "PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue '"
            + queue
            + "' in vhost '/': {value_negative,-1}");
  }

  @Test
  void zeroQueueExpiryIsRefusedWith406() {
    assertDeclareRefused(Map.of("x-expires", 0), "x-expires");
  }

  @Test
  void maxPriorityAbove255IsRefusedWith406() {
    assertDeclareRefused(Map.of("x-max-priority", 256), "x-max-priority");
  }

  @Test
  void unknownOverflowModeIsRefusedWith406() {
    assertDeclareRefused(Map.of("x-overflow", "drop-tail"), "x-overflow");
  }

  @Test
  void deadLetterRoutingKeyWithoutExchangeIsRefusedWith406() {
    assertDeclareRefused(Map.of("x-dead-letter-routing-key", "rk"), "x-dead-letter-routing-key");
  }

  @Test
  void nonBooleanSingleActiveConsumerIsRefusedWith406() {
    assertDeclareRefused(Map.of("x-single-active-consumer", "yes"), "x-single-active-consumer");
  }

  @Test
  void redeclareWithDifferentMessageTtlClosesChannelWith406() throws Exception {
    String queue = unique("redeclare-ttl");
    channel.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", 1000));
    assertReply(
        expectChannelClose(
            channel, c -> c.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", 2000))),
        406,
        "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl'");
  }

  @Test
  void validArgumentsAreAccepted() throws Exception {
    String queue = unique("valid-args");
    Map<String, Object> arguments =
        Map.of(
            "x-message-ttl",
            60000,
            "x-expires",
            60000L,
            "x-max-length",
            10,
            "x-max-length-bytes",
            10000,
            "x-overflow",
            "reject-publish",
            "x-dead-letter-exchange",
            "dlx",
            "x-dead-letter-routing-key",
            "dead",
            "x-max-priority",
            10,
            "x-single-active-consumer",
            true);
    assertEquals(queue, channel.queueDeclare(queue, false, false, true, arguments).getQueue());
  }

  @Test
  void consumerPriorityOfWrongTypeIsRefusedWith406() throws Exception {
    String queue = namedQueue("bad-consumer-priority");
    assertReply(
        expectChannelClose(
            channel,
            c ->
                c.basicConsume(
                    queue, true, Map.of("x-priority", "high"), new RecordingConsumer(c))),
        406,
        "PRECONDITION_FAILED - invalid arg 'x-priority'");
  }

  @Test
  void invalidExpirationPropertyClosesChannelWith406() {
    String queue = unique("bad-expiration");
    var properties = new AMQP.BasicProperties.Builder().expiration("soon").build();
    assertReply(
        expectChannelClose(channel, c -> c.basicPublish("", queue, properties, bytes("x"))),
        406,
        "PRECONDITION_FAILED - invalid expiration 'soon': no_integer");
  }
}
