package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import dev.warren.broker.it.ClientTestBase;
import dev.warren.broker.it.RecordingConsumer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-priority consume argument and x-single-active-consumer. */
class ConsumerPriorityTest extends ClientTestBase {

  @Test
  void theHigherPriorityConsumerGetsEveryMessageWhileItHasCredit() throws Exception {
    String queue = namedQueue("consumer-priority");
    RecordingConsumer low = new RecordingConsumer(channel);
    RecordingConsumer high = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, Map.of("x-priority", 1), low);
    channel.basicConsume(queue, true, Map.of("x-priority", 10), high);
    low.awaitConsumeOk();
    high.awaitConsumeOk();
    for (int i = 0; i < 5; i++) {
      publish("", queue, "m" + i);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals("m" + i, high.nextBody());
    }
    low.assertNothingDelivered();
  }

  @Test
  void aLowerPriorityConsumerGetsMessagesWhileTheHigherOneIsBlocked() throws Exception {
    String queue = namedQueue("consumer-priority-blocked");
    Channel highChannel = connection.createChannel();
    highChannel.basicQos(1);
    RecordingConsumer high = new RecordingConsumer(highChannel);
    highChannel.basicConsume(queue, false, Map.of("x-priority", 10), high);
    RecordingConsumer low = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, Map.of("x-priority", -5), low);
    high.awaitConsumeOk();
    low.awaitConsumeOk();
    publish("", queue, "to-high");
    assertEquals("to-high", high.nextBody());
    publish("", queue, "to-low");
    assertEquals("to-low", low.nextBody());
  }

  @Test
  void onlyTheSingleActiveConsumerReceivesAndTheNextTakesOverWhenItLeaves() throws Exception {
    String queue = unique("sac");
    channel.queueDeclare(queue, false, false, true, Map.of("x-single-active-consumer", true));
    Channel firstChannel = connection.createChannel();
    RecordingConsumer first = new RecordingConsumer(firstChannel);
    firstChannel.basicQos(1);
    firstChannel.basicConsume(queue, false, first);
    first.awaitConsumeOk();
    RecordingConsumer second = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, second);
    second.awaitConsumeOk();

    publish("", queue, "one");
    publish("", queue, "two");
    Delivery one = first.next();
    assertEquals("one", text(one.getBody()));
    second.assertNothingDelivered();
    // the active consumer leaves without acking: "one" is requeued and the next consumer takes over
    firstChannel.close();
    assertEquals("one", second.nextBody());
    assertEquals("two", second.nextBody());
  }
}
