package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * basic.qos with global=true, in RabbitMQ's (4.0) reading: one limit for the whole channel, shared
 * by all its consumers (the Java client's QosTests).
 */
class ChannelPrefetchTest extends ClientTestBase {

  @Test
  void noAckDeliveriesTakeNoChannelCredit() throws Exception {
    channel.basicQos(1, true);
    String queue = serverNamedQueue();
    RecordingConsumer noAck = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, noAck);

    publish("", queue, "one");
    publish("", queue, "two");

    assertEquals("one", noAck.nextBody());
    assertEquals("two", noAck.nextBody());
  }

  @Test
  void onceTheChannelsLimitIsUsedANoAckConsumerGetsNothingEither() throws Exception {
    channel.basicQos(1, true);
    String acked = serverNamedQueue();
    RecordingConsumer manual = new RecordingConsumer(channel);
    channel.basicConsume(acked, false, manual);
    publish("", acked, "holds the credit");
    Delivery held = manual.next();
    String unacked = serverNamedQueue();
    RecordingConsumer noAck = new RecordingConsumer(channel);
    channel.basicConsume(unacked, true, noAck);

    publish("", unacked, "waits");
    noAck.assertNothingDelivered();

    channel.basicAck(held.getEnvelope().getDeliveryTag(), false);
    assertEquals("waits", noAck.nextBody());
  }

  /**
   * Prefetch 1 over three queues of 100 messages each, one ack at a time: every queue must get its
   * turn (the Java client's QosTests.fairness), not the first one in some fixed order.
   */
  @Test
  void freedCreditRotatesOverTheChannelsQueues() throws Exception {
    channel.basicQos(1, true);
    TaggingConsumer consumer = new TaggingConsumer(channel);
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String queue = serverNamedQueue();
      channel.queueBind(queue, "amq.fanout", "");
      channel.basicConsume(queue, false, consumer);
      queues.add(queue);
    }
    for (int i = 0; i < 100; i++) {
      publish("amq.fanout", "", Integer.toString(i));
    }

    Map<String, Integer> taken = new TreeMap<>();
    for (int i = 0; i < 99; i++) {
      Tagged delivery = consumer.next();
      taken.merge(delivery.consumerTag(), 1, Integer::sum);
      channel.basicAck(delivery.deliveryTag(), false);
    }

    assertEquals(3, taken.size(), () -> "deliveries per consumer: " + taken);
    for (String queue : queues) {
      int left = channel.queueDeclarePassive(queue).getMessageCount();
      assertTrue(left < 100 && left > 50, () -> queue + " kept " + left + "; taken " + taken);
    }
  }

  @Test
  void twoConsumersOfOneQueueOnOneChannelShareTheChannelsCredit() throws Exception {
    channel.basicQos(1, true);
    String queue = serverNamedQueue();
    TaggingConsumer consumer = new TaggingConsumer(channel);
    channel.basicConsume(queue, false, "c1", consumer);
    channel.basicConsume(queue, false, "c2", consumer);
    for (int i = 0; i < 10; i++) {
      publish("", queue, Integer.toString(i));
    }

    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      Tagged delivery = consumer.next();
      counts.merge(delivery.consumerTag(), 1, Integer::sum);
      assertNull(consumer.poll(ABSENCE), "one unacked delivery at a time");
      channel.basicAck(delivery.deliveryTag(), false);
    }
    assertEquals(Map.of("c1", 5, "c2", 5), counts);
  }

  private record Tagged(String consumerTag, long deliveryTag) {}

  /** Records which consumer (tag) each delivery went to; one instance may serve several tags. */
  private static final class TaggingConsumer extends DefaultConsumer {
    private final BlockingQueue<Tagged> deliveries = new LinkedBlockingQueue<>();

    TaggingConsumer(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      deliveries.add(new Tagged(consumerTag, envelope.getDeliveryTag()));
    }

    Tagged next() throws InterruptedException {
      Tagged delivery = poll(TIMEOUT);
      assertNotNull(delivery, "no delivery within " + TIMEOUT);
      return delivery;
    }

    Tagged poll(Duration wait) throws InterruptedException {
      return deliveries.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
