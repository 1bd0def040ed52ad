package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.ClientTestBase;
import dev.warren.broker.it.RecordingConsumer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** x-message-ttl, the expiration property and x-expires. */
class MessageTtlTest extends ClientTestBase {

  private static AMQP.BasicProperties expiring(String millis) {
    return new AMQP.BasicProperties.Builder().expiration(millis).build();
  }

  @Test
  void messagesExpireAfterTheQueueTtlWithoutAnyConsumerOrGet() throws Exception {
    String queue = unique("queue-ttl");
    channel.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", 100));
    publish("", queue, "short-lived");
    assertEquals(1, channel.queueDeclarePassive(queue).getMessageCount());
    awaitMessageCount(queue, 0);
  }

  @Test
  void perMessageExpirationRemovesTheMessageAtTheHead() throws Exception {
    String queue = namedQueue("message-ttl");
    channel.basicPublish("", queue, expiring("100"), bytes("short"));
    channel.basicPublish("", queue, expiring("60000"), bytes("long"));
    awaitMessageCount(queue, 1);
    assertEquals("long", awaitBody(queue));
  }

  @Test
  void theLowerOfQueueTtlAndMessageExpirationWins() throws Exception {
    String queue = unique("lower-ttl");
    channel.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", 60000));
    channel.basicPublish("", queue, expiring("50"), bytes("expires soon"));
    awaitMessageCount(queue, 0);
  }

  @Test
  void ttlOfZeroDropsAMessageNoConsumerCanTakeAtOnce() throws Exception {
    String queue = unique("ttl-zero");
    channel.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", 0));
    publish("", queue, "nobody waits");
    assertNull(channel.basicGet(queue, true));
  }

  @Test
  void expirationZeroReachesAWaitingConsumer() throws Exception {
    String queue = namedQueue("expiration-zero");
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, consumer);
    consumer.awaitConsumeOk();
    channel.basicPublish("", queue, expiring("0"), bytes("delivered at once"));
    assertEquals("delivered at once", consumer.nextBody());
  }

  @Test
  void aRequeuedMessageKeepsItsOriginalExpiry() throws Exception {
    String queue = unique("ttl-requeue");
    channel.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", 300));
    publish("", queue, "requeued");
    GetResponse response = awaitGet(channel, queue, false);
    // hold it past its TTL (time passing is the point here), then requeue it: it must not return
    long heldUntil = System.nanoTime() + 400_000_000L;
    while (System.nanoTime() < heldUntil) {
      pause();
    }
    channel.basicReject(response.getEnvelope().getDeliveryTag(), true);
    awaitMessageCount(queue, 0);
    assertNull(channel.basicGet(queue, true));
  }

  @Test
  void anUnusedQueueIsDeletedAfterItsExpiryPeriod() throws Exception {
    String queue = unique("queue-expires");
    channel.queueDeclare(queue, false, false, false, Map.of("x-expires", 200));
    assertTrue(queueExists(queue));
    awaitUnroutable(queue);
  }

  /**
   * Waits until the default exchange no longer routes to the queue. A passive declare would not do:
   * it counts as a use and restarts the expiry period (in RabbitMQ too); a publish does not.
   */
  private void awaitUnroutable(String queue) throws Exception {
    CountDownLatch returned = new CountDownLatch(1);
    channel.addReturnListener(r -> returned.countDown());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      channel.basicPublish("", queue, true, null, bytes("probe"));
      if (returned.await(50, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    fail("queue " + queue + " still routable after " + TIMEOUT);
  }

  @Test
  void aQueueWithAConsumerIsNotDeletedByItsExpiry() throws Exception {
    String queue = unique("queue-expires-used");
    channel.queueDeclare(queue, false, false, false, Map.of("x-expires", 100));
    RecordingConsumer consumer = new RecordingConsumer(channel);
    String tag = channel.basicConsume(queue, true, consumer);
    consumer.awaitConsumeOk();
    consumer.assertNothingDelivered();
    assertTrue(queueExists(queue));
    channel.basicCancel(tag);
    awaitUnroutable(queue);
  }
}
