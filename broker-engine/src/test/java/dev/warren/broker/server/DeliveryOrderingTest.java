package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order of what the server writes on a channel: consume-ok before the consumer's first
 * delivery, no delivery after cancel-ok. RabbitMQ's Java client closes the connection on a delivery
 * for a consumer it does not know, so a wrong order shows up as a dead connection.
 */
class DeliveryOrderingTest {
  private static final int MESSAGES = 2000;
  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void consumeOkPrecedesDeliveriesOfMessagesAlreadyQueued() throws Exception {
    try (Connection connection = factory().newConnection()) {
      Channel channel = connection.createChannel();
      String queue = fill(channel);
      CountDownLatch all = new CountDownLatch(MESSAGES);

      channel.basicConsume(queue, true, counting(channel, all));

      assertTrue(all.await(30, TimeUnit.SECONDS), "all messages delivered");
      assertTrue(connection.isOpen());
    }
  }

  @Test
  void noDeliveryFollowsCancelOkWhileMessagesAreFlowing() throws Exception {
    try (Connection connection = factory().newConnection()) {
      Channel channel = connection.createChannel();
      String queue = fill(channel);
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      connection.addShutdownListener(
          signal -> {
            if (!signal.isInitiatedByApplication()) {
              unexpected.set(signal);
            }
          });
      CountDownLatch first = new CountDownLatch(1);
      channel.basicQos(50);
      String tag = channel.basicConsume(queue, false, acking(channel, first));
      assertTrue(first.await(10, TimeUnit.SECONDS), "deliveries started");

      channel.basicCancel(tag);

      // a round trip after the cancel: any stray delivery would have reached the client by now
      channel.queueDeclarePassive(queue);
      assertTrue(connection.isOpen(), "connection survived: " + unexpected.get());
      assertNull(unexpected.get());
    }
  }

  @Test
  void noDeliveryFollowsCancelOkWhileAnotherConnectionPublishes() throws Exception {
    try (Connection consuming = factory().newConnection();
        Connection publishing = factory().newConnection()) {
      Channel channel = consuming.createChannel();
      String queue = channel.queueDeclare("", false, false, false, null).getQueue();
      Channel publisher = publishing.createChannel();
      for (int round = 0; round < 10; round++) {
        CountDownLatch first = new CountDownLatch(1);
        String tag = channel.basicConsume(queue, true, counting(channel, first));
        Thread flood =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 500; i++) {
                      publisher.basicPublish("", queue, null, new byte[16]);
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        flood.start();
        assertTrue(first.await(10, TimeUnit.SECONDS), "deliveries started");

        channel.basicCancel(tag);

        flood.join(10_000);
        channel.queueDeclarePassive(queue);
        assertTrue(consuming.isOpen(), "connection survived round " + round);
      }
      channel.queueDelete(queue);
    }
  }

  private static String fill(Channel channel) throws Exception {
    // exclusive but not auto-delete: the test cancels the only consumer
    String queue = channel.queueDeclare("", false, true, false, null).getQueue();
    channel.confirmSelect();
    for (int i = 0; i < MESSAGES; i++) {
      channel.basicPublish("", queue, null, ("m" + i).getBytes());
    }
    channel.waitForConfirmsOrDie(30_000);
    assertEquals(MESSAGES, channel.queueDeclarePassive(queue).getMessageCount());
    return queue;
  }

  private static DefaultConsumer counting(Channel channel, CountDownLatch latch) {
    return new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(
          String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        latch.countDown();
      }
    };
  }

  private static DefaultConsumer acking(Channel channel, CountDownLatch first) {
    return new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(
          String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
          throws IOException {
        first.countDown();
        getChannel().basicAck(envelope.getDeliveryTag(), false);
      }
    };
  }

  private static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }
}
