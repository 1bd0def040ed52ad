package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import dev.warren.broker.it.ClientTestBase;
import dev.warren.broker.it.RecordingConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-max-priority: higher priority first, FIFO within a priority, capped at the maximum. */
class PriorityQueueTest extends ClientTestBase {

  private void publishWithPriority(String queue, Integer priority, String body) throws Exception {
    channel.basicPublish(
        "", queue, new AMQP.BasicProperties.Builder().priority(priority).build(), bytes(body));
  }

  private String priorityQueue(int maxPriority) throws Exception {
    String queue = unique("priority");
    channel.queueDeclare(queue, false, false, true, Map.of("x-max-priority", maxPriority));
    return queue;
  }

  @Test
  void higherPriorityMessagesAreDeliveredFirstAndFifoWithinAPriority() throws Exception {
    String queue = priorityQueue(10);
    publishWithPriority(queue, 1, "low-1");
    publishWithPriority(queue, null, "none");
    publishWithPriority(queue, 5, "high-1");
    publishWithPriority(queue, 1, "low-2");
    publishWithPriority(queue, 5, "high-2");
    awaitMessageCount(queue, 5);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      order.add(awaitBody(queue));
    }
    assertEquals(List.of("high-1", "high-2", "low-1", "low-2", "none"), order);
  }

  @Test
  void prioritiesAboveTheMaximumCountAsTheMaximum() throws Exception {
    String queue = priorityQueue(2);
    publishWithPriority(queue, 2, "at-max");
    publishWithPriority(queue, 9, "above-max");
    awaitMessageCount(queue, 2);
    assertEquals("at-max", awaitBody(queue));
    assertEquals("above-max", awaitBody(queue));
  }

  @Test
  void withPrefetchOneTheConsumerGetsTheHighestPriorityWaitingAfterEachAck() throws Exception {
    String queue = priorityQueue(10);
    channel.basicQos(1);
    publishWithPriority(queue, 1, "first-low");
    awaitMessageCount(queue, 1);
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, false, consumer);
    Delivery first = consumer.next();
    assertEquals("first-low", text(first.getBody()));
    // while the first is unacknowledged, lower and higher priorities queue up
    publishWithPriority(queue, 1, "later-low");
    publishWithPriority(queue, 9, "urgent");
    awaitMessageCount(queue, 2);
    consumer.assertNothingDelivered();
    channel.basicAck(first.getEnvelope().getDeliveryTag(), false);
    Delivery second = consumer.next();
    assertEquals("urgent", text(second.getBody()));
    channel.basicAck(second.getEnvelope().getDeliveryTag(), false);
    assertEquals("later-low", consumer.nextBody());
  }
}
