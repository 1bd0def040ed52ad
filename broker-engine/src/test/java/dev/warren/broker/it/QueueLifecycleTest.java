package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** queue.declare / purge / delete and the lifetimes of exclusive and auto-delete queues. */
class QueueLifecycleTest extends ClientTestBase {

  @Test
  void declareWithEmptyNameReturnsServerGeneratedAmqGenName() throws IOException {
    AMQP.Queue.DeclareOk ok = channel.queueDeclare("", false, true, true, null);

    assertTrue(ok.getQueue().startsWith("amq.gen-"), ok.getQueue());
    assertEquals(0, ok.getMessageCount());
    assertEquals(0, ok.getConsumerCount());
  }

  @Test
  void serverGeneratedNamesAreDistinct() throws IOException {
    assertFalse(serverNamedQueue().equals(serverNamedQueue()));
  }

  @Test
  void passiveDeclareOfMissingQueueClosesChannelWith404() {
    String queue = unique("missing");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDeclarePassive(queue));

    assertReply(close, 404, "NOT_FOUND - no queue '" + queue + "' in vhost '/'");
  }

  @Test
  void passiveDeclareReportsReadyMessagesAndConsumers() throws Exception {
    String queue = namedQueue("counts");
    publish("", queue, "a");
    publish("", queue, "b");
    publish("", queue, "c");
    awaitMessageCount(queue, 3);
    String consumed = namedQueue("counts-consumed");
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicConsume(consumed, true, new RecordingConsumer(consumerChannel));

    AMQP.Queue.DeclareOk withMessages = channel.queueDeclarePassive(queue);
    AMQP.Queue.DeclareOk withConsumer = channel.queueDeclarePassive(consumed);

    assertEquals(3, withMessages.getMessageCount());
    assertEquals(0, withMessages.getConsumerCount());
    assertEquals(0, withConsumer.getMessageCount());
    assertEquals(1, withConsumer.getConsumerCount());
  }

  @Test
  void redeclareWithSamePropertiesSucceedsAndReportsCounts() throws IOException {
    String queue = namedQueue("same");
    publish("", queue, "x");
    awaitMessageCount(queue, 1);

    AMQP.Queue.DeclareOk ok = channel.queueDeclare(queue, false, false, false, null);

    assertEquals(queue, ok.getQueue());
    assertEquals(1, ok.getMessageCount());
  }

  @Test
  void redeclareWithDifferentDurabilityClosesChannelWith406() throws IOException {
    String queue = namedQueue("durable");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDeclare(queue, true, false, false, null));

    assertReply(
        close,
        406,
        "PRECONDITION_FAILED - inequivalent arg 'durable' for queue '"
            + queue
            + "' in vhost '/': received 'true' but current is 'false'");
  }

  @Test
  void redeclareWithDifferentAutoDeleteClosesChannelWith406() throws IOException {
    String queue = namedQueue("autodelete");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDeclare(queue, false, false, true, null));

    assertReply(
        close, 406, "PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue '" + queue);
  }

  @Test
  void redeclareWithDifferentArgumentsClosesChannelWith406() throws IOException {
    String queue = unique("args");
    channel.queueDeclare(queue, false, false, false, Map.of("x-max-length", 10));

    ShutdownSignalException close =
        expectChannelClose(
            channel, ch -> ch.queueDeclare(queue, false, false, false, Map.of("x-max-length", 20)));

    assertReply(
        close, 406, "PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue '" + queue);
    deleteQueueOnNewChannel(queue);
  }

  @Test
  void redeclaringNonExclusiveQueueAsExclusiveClosesChannelWith405() throws IOException {
    // RabbitMQ treats an exclusivity mismatch as a lock conflict, not as an inequivalent argument
    String queue = namedQueue("exclusive-mismatch");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDeclare(queue, false, true, false, null));

    assertReply(close, 405, "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '");
  }

  @Test
  void exclusiveQueueUsedFromAnotherConnectionClosesChannelWith405() throws Exception {
    String queue = unique("exclusive");
    channel.queueDeclare(queue, false, true, false, null);

    try (Connection other = newConnection()) {
      Channel otherChannel = other.createChannel();
      ShutdownSignalException close =
          expectChannelClose(
              otherChannel,
              ch -> ch.basicConsume(queue, true, new RecordingConsumer(otherChannel)));

      assertReply(
          close, 405, "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + queue);
    }
  }

  @Test
  void exclusiveQueueRedeclaredFromAnotherConnectionClosesChannelWith405() throws Exception {
    String queue = unique("exclusive-redeclare");
    channel.queueDeclare(queue, false, true, false, null);

    try (Connection other = newConnection()) {
      ShutdownSignalException close =
          expectChannelClose(
              other.createChannel(), ch -> ch.queueDeclare(queue, false, true, false, null));

      assertReply(close, 405);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"passive declare", "get", "purge", "delete", "bind"})
  void otherConnectionsCannotUseAnExclusiveQueue(String operation) throws Exception {
    String queue = unique("exclusive-locked");
    channel.queueDeclare(queue, false, true, false, null);

    try (Connection other = newConnection()) {
      ShutdownSignalException close =
          expectChannelClose(
              other.createChannel(),
              ch -> {
                switch (operation) {
                  case "passive declare" -> ch.queueDeclarePassive(queue);
                  case "get" -> ch.basicGet(queue, true);
                  case "purge" -> ch.queuePurge(queue);
                  case "delete" -> ch.queueDelete(queue);
                  case "bind" -> ch.queueBind(queue, "amq.fanout", "");
                  default -> throw new IllegalArgumentException(operation);
                }
              });

      assertReply(close, 405, "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue");
    }
    assertTrue(queueExists(queue));
  }

  @Test
  void otherConnectionsCanPublishToAnExclusiveQueue() throws Exception {
    String queue = serverNamedQueue();

    try (Connection other = newConnection()) {
      other.createChannel().basicPublish("", queue, null, bytes("from outside"));
    }

    assertEquals("from outside", awaitBody(queue));
  }

  @Test
  void exclusiveQueueIsDeletedWithItsMessagesWhenItsConnectionCloses() throws Exception {
    String queue = unique("exclusive-with-messages");
    try (Connection owner = newConnection()) {
      Channel ownerChannel = owner.createChannel();
      ownerChannel.queueDeclare(queue, false, true, false, null);
      ownerChannel.basicPublish("", queue, null, bytes("lost with the queue"));
    }

    awaitQueueGone(queue);
  }

  @Test
  void autoDeleteQueueIsDeletedWhenItsConsumersChannelCloses() throws Exception {
    String queue = unique("auto-delete-channel");
    channel.queueDeclare(queue, false, false, true, null);
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicConsume(queue, true, new RecordingConsumer(consumerChannel));

    consumerChannel.close();

    awaitQueueGone(queue);
  }

  @Test
  void nonExclusiveQueueOutlivesTheConnectionThatDeclaredIt() throws Exception {
    String queue = unique("outlives");
    try (Connection declarer = newConnection()) {
      declarer.createChannel().queueDeclare(queue, false, false, false, null);
    }

    assertTrue(queueExists(queue));
    channel.queueDelete(queue);
  }

  @Test
  void exclusiveQueueIsDeletedWhenItsConnectionCloses() throws Exception {
    String queue = unique("exclusive-gone");
    try (Connection owner = newConnection()) {
      owner.createChannel().queueDeclare(queue, false, true, false, null);
      assertTrue(queueExists(queue), "an exclusive queue is locked, not missing, for others");
    }

    awaitQueueGone(queue);
  }

  @Test
  void autoDeleteQueueIsDeletedWhenItsLastConsumerCancels() throws Exception {
    String queue = unique("auto-delete");
    channel.queueDeclare(queue, false, false, true, null);
    String first = channel.basicConsume(queue, true, new RecordingConsumer(channel));
    String second = channel.basicConsume(queue, true, new RecordingConsumer(channel));

    channel.basicCancel(first);
    assertTrue(queueExists(queue), "one consumer is left");
    channel.basicCancel(second);

    awaitQueueGone(queue);
  }

  @Test
  void autoDeleteQueueWithoutConsumersEverSurvives() throws Exception {
    String queue = unique("auto-delete-unused");
    channel.queueDeclare(queue, false, false, true, null);

    assertTrue(queueExists(queue));
    deleteQueueOnNewChannel(queue);
  }

  @Test
  void purgeReturnsNumberOfRemovedMessagesAndEmptiesQueue() throws IOException {
    String queue = namedQueue("purge");
    for (int i = 0; i < 5; i++) {
      publish("", queue, "m" + i);
    }
    awaitMessageCount(queue, 5);

    assertEquals(5, channel.queuePurge(queue).getMessageCount());
    assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount());
    assertEquals(0, channel.queuePurge(queue).getMessageCount());
  }

  @Test
  void purgeOfMissingQueueClosesChannelWith404() {
    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queuePurge(unique("missing")));

    assertReply(close, 404);
  }

  @Test
  void deleteReturnsNumberOfMessagesInQueue() throws Exception {
    String queue = namedQueue("delete-count");
    publish("", queue, "a");
    publish("", queue, "b");
    awaitMessageCount(queue, 2);

    assertEquals(2, channel.queueDelete(queue).getMessageCount());
    assertFalse(queueExists(queue));
  }

  @Test
  void deleteIfUnusedOfQueueWithConsumerClosesChannelWith406() throws IOException {
    String queue = namedQueue("in-use");
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicConsume(queue, true, new RecordingConsumer(consumerChannel));

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDelete(queue, true, false));

    assertReply(close, 406, "PRECONDITION_FAILED - queue '" + queue + "' in vhost '/' in use");
  }

  @Test
  void deleteIfEmptyOfQueueWithMessagesClosesChannelWith406() throws IOException {
    String queue = namedQueue("not-empty");
    publish("", queue, "x");
    awaitMessageCount(queue, 1);

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDelete(queue, false, true));

    assertReply(close, 406, "PRECONDITION_FAILED - queue '" + queue + "' in vhost '/' not empty");
  }

  @Test
  void deleteIfUnusedAndIfEmptySucceedOnIdleEmptyQueue() throws Exception {
    String queue = namedQueue("idle");

    assertEquals(0, channel.queueDelete(queue, true, true).getMessageCount());
    assertFalse(queueExists(queue));
  }

  @Test
  void deleteOfMissingQueueSucceeds() throws IOException {
    // RabbitMQ made queue.delete idempotent: a missing queue is not an error
    assertEquals(0, channel.queueDelete(unique("never-declared")).getMessageCount());
    assertTrue(channel.isOpen());
  }

  @Test
  void declaringQueueWithAmqPrefixClosesChannelWith403() {
    String queue = "amq." + unique("reserved");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueDeclare(queue, false, false, false, null));

    assertReply(
        close, 403, "ACCESS_REFUSED - queue name '" + queue + "' contains reserved prefix 'amq.*'");
  }

  @Test
  void consumerIsCancelledByBrokerWhenItsQueueIsDeleted() throws Exception {
    String queue = namedQueue("cancel-notify");
    Channel consumerChannel = connection.createChannel();
    RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(queue, true, consumer);

    channel.queueDelete(queue);

    assertTrue(consumer.awaitCancelledByBroker(), "basic.cancel from the broker expected");
    assertTrue(consumerChannel.isOpen(), "the consumer's channel stays usable");
  }

  @Test
  void messagesArePreservedAcrossRedeclare() throws IOException {
    String queue = namedQueue("preserved");
    publish("", queue, "kept");
    channel.queueDeclare(queue, false, false, false, null);

    assertEquals("kept", awaitBody(queue));
  }

  private void deleteQueueOnNewChannel(String queue) throws IOException {
    try {
      Channel cleanup = connection.createChannel();
      cleanup.queueDelete(queue);
      cleanup.close();
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
  }
}
