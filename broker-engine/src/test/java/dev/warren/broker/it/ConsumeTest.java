package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** basic.consume / cancel / get, consumer exclusivity, dispatch among consumers and prefetch. */
class ConsumeTest extends ClientTestBase {

  @Test
  void consumeWithoutTagGetsServerGeneratedTag() throws Exception {
    String queue = serverNamedQueue();
    RecordingConsumer consumer = new RecordingConsumer(channel);

    String tag = channel.basicConsume(queue, true, consumer);

    assertTrue(tag.startsWith("amq.ctag-"), tag);
    // the client hands consume-ok to the consumer on its dispatch thread, after basicConsume
    // returns
    consumer.awaitConsumeOk();
    assertEquals(tag, consumer.getConsumerTag());
  }

  @Test
  void consumerReceivesMessagesPublishedBeforeAndAfterConsume() throws Exception {
    String queue = serverNamedQueue();
    publish("", queue, "before");
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, "my-tag", consumer);
    publish("", queue, "after");

    Delivery first = consumer.next();
    assertEquals("before", text(first.getBody()));
    assertEquals("my-tag", consumer.getConsumerTag());
    assertEquals("", first.getEnvelope().getExchange());
    assertEquals(queue, first.getEnvelope().getRoutingKey());
    assertFalse(first.getEnvelope().isRedeliver());
    assertEquals("after", consumer.nextBody());
  }

  @Test
  void deliveryTagsStartAtOneAndIncreasePerChannel() throws Exception {
    String queue = serverNamedQueue();
    for (int i = 0; i < 3; i++) {
      publish("", queue, "m" + i);
    }
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, false, consumer);

    assertEquals(1, consumer.next().getEnvelope().getDeliveryTag());
    assertEquals(2, consumer.next().getEnvelope().getDeliveryTag());
    assertEquals(3, consumer.next().getEnvelope().getDeliveryTag());
  }

  @Test
  void consumeOnMissingQueueClosesChannelWith404() {
    String queue = unique("missing");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.basicConsume(queue, new RecordingConsumer(ch)));

    assertReply(close, 404, "NOT_FOUND - no queue '" + queue + "' in vhost '/'");
  }

  @Test
  void exclusiveConsumeOnQueueWithConsumersClosesChannelWith403() throws IOException {
    String queue = namedQueue("exclusive-consume");
    Channel first = connection.createChannel();
    first.basicConsume(queue, true, new RecordingConsumer(first));

    ShutdownSignalException close =
        expectChannelClose(
            channel,
            ch -> ch.basicConsume(queue, true, "", false, true, null, new RecordingConsumer(ch)));

    assertReply(close, 403, "ACCESS_REFUSED - queue '" + queue + "' in vhost '/' in exclusive use");
  }

  @Test
  void consumeOnQueueWithExclusiveConsumerClosesChannelWith403() throws IOException {
    String queue = namedQueue("exclusive-held");
    Channel first = connection.createChannel();
    first.basicConsume(queue, true, "", false, true, null, new RecordingConsumer(first));

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.basicConsume(queue, true, new RecordingConsumer(ch)));

    assertReply(close, 403, "ACCESS_REFUSED - queue '" + queue + "' in vhost '/' in exclusive use");
  }

  @Test
  void exclusiveConsumerReleasesQueueWhenCancelled() throws Exception {
    String queue = namedQueue("exclusive-released");
    Channel first = connection.createChannel();
    String tag =
        first.basicConsume(queue, true, "", false, true, null, new RecordingConsumer(first));

    first.basicCancel(tag);
    RecordingConsumer second = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, second);
    publish("", queue, "to the second consumer");

    assertEquals("to the second consumer", second.nextBody());
  }

  @Test
  void reusingConsumerTagOnChannelClosesConnectionWith530() throws IOException {
    String queue = serverNamedQueue();
    channel.basicConsume(queue, true, "taken", new RecordingConsumer(channel));

    ShutdownSignalException close =
        expectConnectionClose(
            connection,
            c -> channel.basicConsume(queue, true, "taken", new RecordingConsumer(channel)));

    assertReply(close, 530, "NOT_ALLOWED - attempt to reuse consumer tag 'taken'");
  }

  @Test
  void cancelStopsDeliveries() throws Exception {
    String queue = serverNamedQueue();
    RecordingConsumer consumer = new RecordingConsumer(channel);
    String tag = channel.basicConsume(queue, true, consumer);
    publish("", queue, "delivered");
    assertEquals("delivered", consumer.nextBody());

    channel.basicCancel(tag);
    consumer.awaitCancelOk();
    publish("", queue, "stays in queue");

    consumer.assertNothingDelivered();
    assertEquals("stays in queue", awaitBody(queue));
  }

  @Test
  void getOnEmptyQueueReturnsNothing() throws IOException {
    assertNull(channel.basicGet(serverNamedQueue(), true));
  }

  @Test
  void getReportsMessagesLeftAfterIt() throws IOException {
    String queue = serverNamedQueue();
    publish("", queue, "a");
    publish("", queue, "b");
    publish("", queue, "c");

    GetResponse first = awaitGet(queue);

    assertEquals("a", text(first.getBody()));
    assertEquals(2, first.getMessageCount());
    assertEquals(queue, first.getEnvelope().getRoutingKey());
    assertFalse(first.getEnvelope().isRedeliver());
    assertEquals(1, awaitGet(queue).getMessageCount());
    assertEquals(0, awaitGet(queue).getMessageCount());
    assertNull(channel.basicGet(queue, true));
  }

  @Test
  void getOnMissingQueueClosesChannelWith404() {
    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.basicGet(unique("missing"), true));

    assertReply(close, 404);
  }

  @Test
  void messagesAreDispatchedRoundRobinAmongConsumers() throws Exception {
    String queue = serverNamedQueue();
    Channel firstChannel = connection.createChannel();
    Channel secondChannel = connection.createChannel();
    RecordingConsumer first = new RecordingConsumer(firstChannel);
    RecordingConsumer second = new RecordingConsumer(secondChannel);
    firstChannel.basicConsume(queue, true, first);
    secondChannel.basicConsume(queue, true, second);

    for (int i = 0; i < 10; i++) {
      publish("", queue, "m" + i);
    }
    for (int i = 0; i < 5; i++) {
      first.next();
      second.next();
    }

    first.assertNothingDelivered();
    second.assertNothingDelivered();
  }

  @Test
  void prefetchOfOneDispatchesFairlyToTheConsumerThatAcks() throws Exception {
    String queue = serverNamedQueue();
    Channel slowChannel = connection.createChannel();
    Channel fastChannel = connection.createChannel();
    slowChannel.basicQos(1);
    fastChannel.basicQos(1);
    RecordingConsumer slow = new RecordingConsumer(slowChannel);
    RecordingConsumer fast = new RecordingConsumer(fastChannel);
    slowChannel.basicConsume(queue, false, slow);
    fastChannel.basicConsume(queue, false, fast);

    for (int i = 0; i < 10; i++) {
      publish("", queue, "task" + i);
    }
    slow.next();
    for (int i = 0; i < 9; i++) {
      fastChannel.basicAck(fast.next().getEnvelope().getDeliveryTag(), false);
    }

    slow.assertNothingDelivered();
    fast.assertNothingDelivered();
  }

  @Test
  void consumerWithPrefetchGetsNextMessageOnlyAfterAck() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicQos(2);
    RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(queue, false, consumer);

    for (int i = 0; i < 3; i++) {
      publish("", queue, "m" + i);
    }
    Delivery first = consumer.next();
    consumer.next();
    consumer.assertNothingDelivered();
    awaitMessageCount(queue, 1);

    consumerChannel.basicAck(first.getEnvelope().getDeliveryTag(), false);

    assertEquals("m2", consumer.nextBody());
  }

  @Test
  void prefetchIsPerConsumerWhenNotGlobal() throws Exception {
    String firstQueue = serverNamedQueue();
    String secondQueue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicQos(1, false);
    RecordingConsumer first = new RecordingConsumer(consumerChannel);
    RecordingConsumer second = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(firstQueue, false, first);
    consumerChannel.basicConsume(secondQueue, false, second);

    publish("", firstQueue, "a1");
    publish("", firstQueue, "a2");
    publish("", secondQueue, "b1");

    assertEquals("a1", first.nextBody());
    assertEquals("b1", second.nextBody());
    first.assertNothingDelivered();
  }

  @Test
  void globalPrefetchIsSharedByAllConsumersOfTheChannel() throws Exception {
    String firstQueue = serverNamedQueue();
    String secondQueue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicQos(1, true);
    RecordingConsumer first = new RecordingConsumer(consumerChannel);
    RecordingConsumer second = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(firstQueue, false, first);
    consumerChannel.basicConsume(secondQueue, false, second);

    publish("", firstQueue, "a");
    Delivery held = first.next();
    publish("", secondQueue, "b");
    second.assertNothingDelivered();

    consumerChannel.basicAck(held.getEnvelope().getDeliveryTag(), false);

    assertEquals("b", second.nextBody());
  }

  @Test
  void prefetchDoesNotLimitGet() throws IOException {
    String queue = serverNamedQueue();
    channel.basicQos(1);
    publish("", queue, "a");
    publish("", queue, "b");

    assertEquals("a", text(awaitGet(channel, queue, false).getBody()));
    assertEquals("b", text(awaitGet(channel, queue, false).getBody()));
  }

  @Test
  void noAckConsumerRemovesMessagesOnDelivery() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(queue, true, consumer);
    publish("", queue, "fire and forget");
    consumer.next();

    consumerChannel.close();

    assertStaysEmpty(queue);
  }

  @Test
  void thousandMessagesArriveInPublishOrder() throws Exception {
    String queue = serverNamedQueue();
    for (int i = 0; i < 1000; i++) {
      publish("", queue, Integer.toString(i));
    }
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, consumer);

    for (int i = 0; i < 1000; i++) {
      assertEquals(Integer.toString(i), consumer.nextBody());
    }
    consumer.assertNothingDelivered();
  }

  @Test
  void cancelOfUnknownConsumerTagIsAnsweredWithCancelOk() throws IOException {
    // basicCancel refuses unknown tags client-side, so send the raw method
    AMQP.Basic.Cancel cancel = new AMQP.Basic.Cancel.Builder().consumerTag("never-seen").build();

    Method reply = channel.rpc(cancel).getMethod();

    assertInstanceOf(AMQP.Basic.CancelOk.class, reply);
    assertEquals("never-seen", ((AMQP.Basic.CancelOk) reply).getConsumerTag());
    assertTrue(channel.isOpen());
  }

  @Test
  void deliveriesOfCancelledConsumerCanStillBeAcked() throws Exception {
    String queue = serverNamedQueue();
    RecordingConsumer consumer = new RecordingConsumer(channel);
    String tag = channel.basicConsume(queue, false, consumer);
    publish("", queue, "ack me later");
    long deliveryTag = consumer.next().getEnvelope().getDeliveryTag();

    channel.basicCancel(tag);
    channel.basicAck(deliveryTag, false);
    channel.close();

    Channel check = connection.createChannel();
    assertNull(check.basicGet(queue, true));
  }

  @Test
  void prefetchSizeOtherThanZeroClosesConnectionWith540() {
    ShutdownSignalException close =
        expectConnectionClose(connection, c -> channel.basicQos(4096, 1, false));

    assertReply(close, 540, "NOT_IMPLEMENTED - prefetch_size!=0 (4096)");
  }

  @Test
  void consumerDeclaredWithNoWaitMethodsReceivesMessages() throws Exception {
    String exchange = unique("nowait");
    String queue = unique("nowait");
    channel.exchangeDeclareNoWait(exchange, "direct", false, true, false, null);
    channel.queueDeclareNoWait(queue, false, true, false, null);
    channel.queueBindNoWait(queue, exchange, "k", null);
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, consumer);

    publish(exchange, "k", "declared without waiting");

    assertEquals("declared without waiting", consumer.nextBody());
  }

  @Test
  void consumerArgumentsAreAccepted() throws Exception {
    String queue = serverNamedQueue();
    RecordingConsumer consumer = new RecordingConsumer(channel);

    channel.basicConsume(queue, true, Map.of("x-priority", 5), consumer);
    publish("", queue, "with arguments");

    assertEquals("with arguments", consumer.nextBody());
  }
}
