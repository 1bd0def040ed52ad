package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.protocol.ReplyCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliverySemanticsTest extends EngineFixture {
  private static final long QUIET_MILLIS = 200;

  private final RecordingListener publisherEvents = new RecordingListener();

  private String body(GetResult result) {
    return new String(result.body());
  }

  @Test
  void requeuedMessagesGoBackToTheirOriginalPositionMarkedRedelivered() {
    BrokerChannel channel = channel(publisherEvents);
    String queue = declareQueue(channel, unique("q"));
    for (int i = 0; i < 5; i++) {
      publish(channel, "", queue, "m" + i);
    }
    GetResult m0 = channel.get(queue, false).orElseThrow();
    GetResult m1 = channel.get(queue, false).orElseThrow();
    channel.get(queue, false).orElseThrow();
    channel.reject(m1.deliveryTag(), true);
    channel.nack(m0.deliveryTag(), false, true);

    List<String> order = new ArrayList<>();
    List<Boolean> redelivered = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      GetResult next = channel.get(queue, true).orElseThrow();
      order.add(body(next));
      redelivered.add(next.redelivered());
    }
    assertEquals(List.of("m0", "m1", "m3", "m4"), order);
    assertEquals(List.of(true, true, false, false), redelivered);
  }

  @Test
  void getReportsTheMessagesLeftBehind() {
    BrokerChannel channel = channel(publisherEvents);
    String queue = declareQueue(channel, unique("q"));
    publish(channel, "", queue, "a");
    publish(channel, "", queue, "b");
    GetResult first = channel.get(queue, true).orElseThrow();
    assertEquals(1, first.messageCount());
    assertEquals("", first.exchange());
    assertEquals(queue, first.routingKey());
    assertEquals(0, channel.get(queue, true).orElseThrow().messageCount());
    assertTrue(channel.get(queue, true).isEmpty());
  }

  @Test
  void consumersOfOneQueueAreServedRoundRobin() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();
    channel(first).consume(queue, "first", true, false, null);
    channel(second).consume(queue, "second", true, false, null);
    for (int i = 0; i < 4; i++) {
      publish(publisher, "", queue, "m" + i);
    }
    assertEquals(List.of("m0", "m2"), first.bodies(2));
    assertEquals(List.of("m1", "m3"), second.bodies(2));
  }

  @Test
  void prefetchGivesWorkToConsumersThatHaveCredit() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    RecordingListener slow = new RecordingListener();
    RecordingListener fast = new RecordingListener();
    BrokerChannel slowChannel = channel(slow);
    BrokerChannel fastChannel = channel(fast);
    slowChannel.qos(1, false);
    fastChannel.qos(1, false);
    slowChannel.consume(queue, "slow", false, false, null);
    fastChannel.consume(queue, "fast", false, false, null);
    for (int i = 0; i < 4; i++) {
      publish(publisher, "", queue, "m" + i);
    }
    assertEquals("m0", new String(slow.next().body()));
    List<String> fastBodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Delivery delivery = fast.next();
      fastBodies.add(new String(delivery.body()));
      fastChannel.ack(delivery.deliveryTag(), false);
    }
    assertEquals(List.of("m1", "m2", "m3"), fastBodies);
    assertNull(slow.maybeNext(QUIET_MILLIS));
  }

  @Test
  void perConsumerPrefetchAppliesOnlyToConsumersCreatedAfterIt() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String unlimitedQueue = declareQueue(publisher, unique("q"));
    String limitedQueue = declareQueue(publisher, unique("q"));
    RecordingListener listener = new RecordingListener();
    BrokerChannel consumerChannel = channel(listener);
    consumerChannel.consume(unlimitedQueue, "unlimited", false, false, null);
    consumerChannel.qos(1, false);
    consumerChannel.consume(limitedQueue, "limited", false, false, null);
    for (int i = 0; i < 3; i++) {
      publish(publisher, "", unlimitedQueue, "u" + i);
      publish(publisher, "", limitedQueue, "l" + i);
    }
    List<String> received = new ArrayList<>();
    for (Delivery d = listener.maybeNext(1000); d != null; d = listener.maybeNext(QUIET_MILLIS)) {
      received.add(new String(d.body()));
    }
    assertEquals(List.of("u0", "l0", "u1", "u2"), received);
  }

  @Test
  void globalPrefetchIsSharedByAllConsumersOfTheChannel() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String firstQueue = declareQueue(publisher, unique("q"));
    String secondQueue = declareQueue(publisher, unique("q"));
    RecordingListener listener = new RecordingListener();
    BrokerChannel consumerChannel = channel(listener);
    consumerChannel.qos(1, true);
    consumerChannel.consume(firstQueue, "first", false, false, null);
    consumerChannel.consume(secondQueue, "second", false, false, null);
    publish(publisher, "", firstQueue, "a");
    Delivery held = listener.next();
    publish(publisher, "", secondQueue, "b");
    assertNull(listener.maybeNext(QUIET_MILLIS));
    consumerChannel.ack(held.deliveryTag(), false);
    Delivery next = listener.next();
    assertEquals("b", new String(next.body()));
    assertEquals("second", next.consumerTag());
  }

  @Test
  void ackMultipleSettlesEverythingUpToTheTagAndZeroMeansAll() {
    BrokerChannel channel = channel(publisherEvents);
    String queue = declareQueue(channel, unique("q"));
    for (int i = 0; i < 5; i++) {
      publish(channel, "", queue, "m" + i);
    }
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tags.add(channel.get(queue, false).orElseThrow().deliveryTag());
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), tags);
    channel.ack(2, true);
    assertRefused(
        ReplyCode.PRECONDITION_FAILED, "unknown delivery tag 1", () -> channel.ack(1, false));
    channel.ack(0, true);
    assertRefused(
        ReplyCode.PRECONDITION_FAILED, "unknown delivery tag 5", () -> channel.ack(5, false));
    channel.close();
    BrokerChannel observer = channel(publisherEvents);
    assertEquals(0, observer.checkQueue(queue).messageCount());
  }

  @Test
  void unknownOrRepeatedDeliveryTagsAre406() {
    BrokerChannel channel = channel(publisherEvents);
    String queue = declareQueue(channel, unique("q"));
    publish(channel, "", queue, "m");
    long tag = channel.get(queue, false).orElseThrow().deliveryTag();
    assertRefused(
        ReplyCode.PRECONDITION_FAILED, "unknown delivery tag 42", () -> channel.ack(42, false));
    channel.ack(tag, false);
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "unknown delivery tag " + tag,
        () -> channel.reject(tag, false));
    assertRefused(ReplyCode.PRECONDITION_FAILED, null, () -> channel.ack(0, false));
  }

  @Test
  void noAckDeliveriesCannotBeAcknowledged() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    RecordingListener listener = new RecordingListener();
    BrokerChannel consumerChannel = channel(listener);
    consumerChannel.consume(queue, "", true, false, null);
    publish(publisher, "", queue, "m");
    Delivery delivery = listener.next();
    assertTrue(delivery.consumerTag().matches("amq\\.ctag-[A-Za-z0-9_-]{22}"));
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        null,
        () -> consumerChannel.ack(delivery.deliveryTag(), false));
    assertEquals(0, publisher.checkQueue(queue).messageCount());
  }

  @Test
  void recoverRedeliversEveryUnacknowledgedMessage() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    RecordingListener listener = new RecordingListener();
    BrokerChannel consumerChannel = channel(listener);
    consumerChannel.consume(queue, "c", false, false, null);
    publish(publisher, "", queue, "m");
    assertFalse(listener.next().redelivered());
    consumerChannel.recover(true);
    Delivery again = listener.next();
    assertTrue(again.redelivered());
    assertEquals("m", new String(again.body()));
    assertRefused(ReplyCode.NOT_IMPLEMENTED, "requeue=false", () -> consumerChannel.recover(false));
  }

  @Test
  void closingAChannelRequeuesItsUnacknowledgedMessages() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    RecordingListener listener = new RecordingListener();
    BrokerChannel consumerChannel = channel(listener);
    consumerChannel.consume(queue, "c", false, false, null);
    publish(publisher, "", queue, "m");
    listener.next();
    consumerChannel.close();
    consumerChannel.close();
    GetResult back = publisher.get(queue, true).orElseThrow();
    assertTrue(back.redelivered());
    assertEquals(0, publisher.checkQueue(queue).consumerCount());
  }

  @Test
  void backlogIsDeliveredToANewConsumer() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    for (int i = 0; i < 3; i++) {
      publish(publisher, "", queue, "m" + i);
    }
    RecordingListener listener = new RecordingListener();
    channel(listener).consume(queue, "c", true, false, null);
    assertEquals(List.of("m0", "m1", "m2"), listener.bodies(3));
  }

  @Test
  void autoDeleteQueueGoesWithItsLastConsumerButNotBeforeItHadOne() {
    BrokerChannel channel = channel(publisherEvents);
    String queue = unique("q");
    channel.declareQueue(new QueueDeclaration(queue, false, false, true, Map.of()));
    BrokerChannel consumerChannel = channel(new RecordingListener());
    consumerChannel.consume(queue, "a", false, false, null);
    consumerChannel.consume(queue, "b", false, false, null);
    assertTrue(consumerChannel.cancel("a"));
    assertEquals(1, channel.checkQueue(queue).consumerCount());
    assertTrue(consumerChannel.cancel("b"));
    assertRefused(ReplyCode.NOT_FOUND, null, () -> channel.checkQueue(queue));
    assertFalse(consumerChannel.cancel("b"));
  }

  @Test
  void exclusiveConsumersAndReusedTagsAreRefused() {
    BrokerChannel channel = channel(publisherEvents);
    String queue = declareQueue(channel, unique("q"));
    BrokerChannel first = channel(new RecordingListener());
    first.consume(queue, "taken", false, false, null);
    assertRefused(
        ReplyCode.NOT_ALLOWED,
        "attempt to reuse consumer tag 'taken'",
        () -> first.consume(queue, "taken", false, false, null));
    BrokerChannel second = channel(new RecordingListener());
    assertRefused(
        ReplyCode.ACCESS_REFUSED,
        "queue '" + queue + "' in vhost '/' in exclusive use",
        () -> second.consume(queue, "x", false, true, null));
    first.cancel("taken");
    second.consume(queue, "x", false, true, null);
    assertRefused(
        ReplyCode.ACCESS_REFUSED,
        "queue '" + queue + "' in vhost '/' in exclusive use",
        () -> first.consume(queue, "y", false, false, null));
  }

  @Test
  void flowAndBackPressurePauseDeliveriesUntilResumed() throws Exception {
    BrokerChannel publisher = channel(publisherEvents);
    String queue = declareQueue(publisher, unique("q"));
    RecordingListener listener = new RecordingListener();
    BrokerChannel consumerChannel = channel(listener);
    consumerChannel.consume(queue, "c", true, false, null);
    consumerChannel.flow(false);
    publish(publisher, "", queue, "during flow");
    assertNull(listener.maybeNext(QUIET_MILLIS));
    consumerChannel.flow(true);
    assertEquals("during flow", new String(listener.next().body()));

    listener.ready.set(false);
    publish(publisher, "", queue, "while busy");
    assertNull(listener.maybeNext(QUIET_MILLIS));
    listener.ready.set(true);
    consumerChannel.resumeDeliveries();
    assertEquals("while busy", new String(listener.next().body()));
  }

  @Test
  void deletingAQueueNotifiesItsConsumers() throws Exception {
    BrokerChannel channel = channel(publisherEvents);
    String queue = declareQueue(channel, unique("q"));
    RecordingListener listener = new RecordingListener();
    channel(listener).consume(queue, "watcher", false, false, null);
    channel.deleteQueue(queue, false, false);
    assertEquals("watcher", listener.cancellations.poll(5, TimeUnit.SECONDS));
  }
}
