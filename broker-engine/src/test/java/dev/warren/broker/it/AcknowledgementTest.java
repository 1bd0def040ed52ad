package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ack / nack / reject / recover and what happens to unacknowledged messages. */
class AcknowledgementTest extends ClientTestBase {

  @Test
  void unackedMessageIsNotCountedAsReady() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "a");
    publish("", queue, "b");

    awaitGet(channel, queue, false);

    assertEquals(1, channel.queueDeclarePassive(queue).getMessageCount());
  }

  @Test
  void ackedMessageIsNotRedeliveredWhenChannelCloses() throws Exception {
    String queue = serverNamedQueue();
    publish("", queue, "acked");
    Channel consumerChannel = connection.createChannel();
    GetResponse response = awaitGet(consumerChannel, queue, false);

    consumerChannel.basicAck(response.getEnvelope().getDeliveryTag(), false);
    consumerChannel.close();

    assertStaysEmpty(queue);
  }

  @Test
  void ackMultipleAcknowledgesEveryEarlierDelivery() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    List<Long> tags = getUnacked(consumerChannel, queue, 3);

    consumerChannel.basicAck(tags.get(2), true);
    consumerChannel.close();

    assertStaysEmpty(queue);
  }

  @Test
  void ackMultipleLeavesLaterDeliveriesUnacked() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    List<Long> tags = getUnacked(consumerChannel, queue, 3);

    consumerChannel.basicAck(tags.get(1), true);
    consumerChannel.close();

    GetResponse requeued = awaitGet(queue);
    assertEquals("m2", text(requeued.getBody()));
    assertTrue(requeued.getEnvelope().isRedeliver());
    assertStaysEmpty(queue);
  }

  @Test
  void rejectWithRequeueRedeliversWithRedeliveredFlag() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "again");
    GetResponse first = awaitGet(channel, queue, false);
    assertFalse(first.getEnvelope().isRedeliver());

    channel.basicReject(first.getEnvelope().getDeliveryTag(), true);

    GetResponse second = awaitGet(channel, queue, false);
    assertEquals("again", text(second.getBody()));
    assertTrue(second.getEnvelope().isRedeliver());
  }

  @Test
  void requeuedMessagesReturnToTheirOriginalPosition() throws IOException {
    String queue = serverNamedQueue();
    List<Long> tags = getUnacked(channel, queue, 4, 2);

    channel.basicReject(tags.get(1), true);
    channel.basicReject(tags.get(0), true);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(text(awaitGet(queue).getBody()));
    }
    assertEquals(List.of("m0", "m1", "m2", "m3"), order);
  }

  @Test
  void nackMultipleWithRequeuePreservesOrder() throws IOException {
    String queue = serverNamedQueue();
    List<Long> tags = getUnacked(channel, queue, 3);

    channel.basicNack(tags.get(2), true, true);

    for (int i = 0; i < 3; i++) {
      GetResponse response = awaitGet(queue);
      assertEquals("m" + i, text(response.getBody()));
      assertTrue(response.getEnvelope().isRedeliver());
    }
  }

  @Test
  void rejectWithoutRequeueDropsMessage() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "dropped");
    GetResponse response = awaitGet(channel, queue, false);

    channel.basicReject(response.getEnvelope().getDeliveryTag(), false);

    assertStaysEmpty(queue);
  }

  @Test
  void nackMultipleWithoutRequeueDropsAllEarlierDeliveries() throws IOException {
    String queue = serverNamedQueue();
    List<Long> tags = getUnacked(channel, queue, 3);

    channel.basicNack(tags.get(2), true, false);

    assertStaysEmpty(queue);
  }

  @Test
  void nackSingleWithoutRequeueDropsOnlyThatDelivery() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    List<Long> tags = getUnacked(consumerChannel, queue, 2);

    consumerChannel.basicNack(tags.get(1), false, false);
    consumerChannel.close();

    assertEquals("m0", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void recoverWithRequeueRedeliversUnackedMessages() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(queue, false, consumer);
    publish("", queue, "recover me");
    assertFalse(consumer.next().getEnvelope().isRedeliver());

    consumerChannel.basicRecover(true);

    Delivery again = consumer.next();
    assertEquals("recover me", text(again.getBody()));
    assertTrue(again.getEnvelope().isRedeliver());
  }

  @Test
  void recoverWithoutRequeueClosesConnectionWith540() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "held");
    awaitGet(channel, queue, false);

    ShutdownSignalException close =
        expectConnectionClose(connection, c -> channel.basicRecover(false));

    assertReply(close, 540, "NOT_IMPLEMENTED - requeue=false");
  }

  @Test
  void ackWithUnknownDeliveryTagClosesChannelWith406() {
    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.basicAck(42, false));

    assertReply(close, 406, "PRECONDITION_FAILED - unknown delivery tag 42");
  }

  @Test
  void doubleAckClosesChannelWith406() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "once");
    long tag = awaitGet(channel, queue, false).getEnvelope().getDeliveryTag();
    channel.basicAck(tag, false);

    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.basicAck(tag, false));

    assertReply(close, 406, "PRECONDITION_FAILED - unknown delivery tag " + tag);
  }

  @Test
  void ackOfAutoAckedDeliveryClosesChannelWith406() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "auto");
    long tag = awaitGet(channel, queue, true).getEnvelope().getDeliveryTag();

    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.basicAck(tag, false));

    assertReply(close, 406);
  }

  @Test
  void rejectWithUnknownDeliveryTagClosesChannelWith406() {
    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.basicReject(7, true));

    assertReply(close, 406, "PRECONDITION_FAILED - unknown delivery tag 7");
  }

  @Test
  void deliveryTagsOfOneChannelCannotBeAckedOnAnother() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "elsewhere");
    long tag = awaitGet(channel, queue, false).getEnvelope().getDeliveryTag();
    Channel other = connection.createChannel();

    ShutdownSignalException close = expectChannelClose(other, ch -> ch.basicAck(tag, false));

    assertReply(close, 406);
  }

  @Test
  void ackMultipleWithTagZeroAcknowledgesEverything() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    getUnacked(consumerChannel, queue, 3);

    consumerChannel.basicAck(0, true);
    consumerChannel.close();

    assertStaysEmpty(queue);
  }

  @Test
  void unackedMessagesAreRequeuedWhenTheirChannelCloses() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(queue, false, consumer);
    publish("", queue, "unacked");
    consumer.next();

    consumerChannel.close();

    GetResponse requeued = awaitGet(queue);
    assertEquals("unacked", text(requeued.getBody()));
    assertTrue(requeued.getEnvelope().isRedeliver());
  }

  @Test
  void unackedMessagesAreRequeuedWhenTheirConnectionCloses() throws Exception {
    String queue = namedQueue("requeue-on-connection-close");
    try (Connection consumerConnection = newConnection()) {
      Channel consumerChannel = consumerConnection.createChannel();
      RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
      consumerChannel.basicConsume(queue, false, consumer);
      publish("", queue, "unacked");
      consumer.next();
    }

    GetResponse requeued = awaitGet(queue);
    assertEquals("unacked", text(requeued.getBody()));
    assertTrue(requeued.getEnvelope().isRedeliver());
    channel.queueDelete(queue);
  }

  @Test
  void unackedMessagesAreRequeuedWhenTheirChannelIsClosedByAnError() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    publish("", queue, "held");
    awaitGet(consumerChannel, queue, false);

    expectChannelClose(consumerChannel, ch -> ch.basicAck(999, false));

    assertTrue(awaitGet(queue).getEnvelope().isRedeliver());
  }

  @Test
  void requeuedMessageGoesToAnotherConsumer() throws Exception {
    String queue = serverNamedQueue();
    Channel firstChannel = connection.createChannel();
    firstChannel.basicQos(1);
    RecordingConsumer first = new RecordingConsumer(firstChannel);
    firstChannel.basicConsume(queue, false, first);
    publish("", queue, "passed on");
    Delivery held = first.next();
    Channel secondChannel = connection.createChannel();
    RecordingConsumer second = new RecordingConsumer(secondChannel);
    secondChannel.basicConsume(queue, true, second);

    firstChannel.basicCancel(first.getConsumerTag());
    firstChannel.basicReject(held.getEnvelope().getDeliveryTag(), true);

    Delivery redelivered = second.next();
    assertEquals("passed on", text(redelivered.getBody()));
    assertTrue(redelivered.getEnvelope().isRedeliver());
  }

  /** Publishes m0..m(count-1) and takes them all unacknowledged; returns their tags. */
  private List<Long> getUnacked(Channel on, String queue, int count) throws IOException {
    return getUnacked(on, queue, count, count);
  }

  /** Publishes m0..m(published-1) and takes the first {@code taken} unacknowledged. */
  private List<Long> getUnacked(Channel on, String queue, int published, int taken)
      throws IOException {
    for (int i = 0; i < published; i++) {
      publish("", queue, "m" + i);
    }
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < taken; i++) {
      GetResponse response = awaitGet(on, queue, false);
      assertEquals("m" + i, text(response.getBody()));
      tags.add(response.getEnvelope().getDeliveryTag());
    }
    return tags;
  }
}
