package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publisher flood against a small memory watermark: the publishers get connection.blocked and are
 * no longer read from, the broker stays up, a consumer drains, and connection.unblocked follows.
 */
class ResourceAlarmTest {
  private static final byte[] BODY = new byte[64 * 1024];

  @TempDir Path workDir;

  @Test
  void aPublisherFloodIsBlockedAtTheWatermarkAndUnblockedOnceConsumersDrain() throws Exception {
    BrokerProcess broker =
        BrokerProcess.start(
            workDir.resolve("data"),
            workDir.resolve("broker.log"),
            "--memory-high-watermark",
            "0.2");
    List<Connection> connections = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      factory.setPort(broker.port());
      factory.setAutomaticRecoveryEnabled(false);
      CountDownLatch blocked = new CountDownLatch(2);
      CountDownLatch unblocked = new CountDownLatch(2);
      AtomicReference<String> reason = new AtomicReference<>();
      List<Thread> publishers = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        Connection connection = factory.newConnection();
        connections.add(connection);
        connection.addBlockedListener(
            new BlockedListener() {
              @Override
              public void handleBlocked(String why) {
                reason.set(why);
                blocked.countDown();
              }

              @Override
              public void handleUnblocked() {
                unblocked.countDown();
              }
            });
        Channel channel = connection.createChannel();
        channel.queueDeclare("flood", false, false, false, null);
        Thread publisher =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 100_000 && !stop.get(); i++) {
                      channel.basicPublish("", "flood", null, BODY);
                    }
                  } catch (Exception closedAtTheEnd) {
                    // the test aborts the connection
                  }
                });
        publisher.start();
        publishers.add(publisher);
      }
      assertTrue(blocked.await(120, TimeUnit.SECONDS), "no connection.blocked");
      stop.set(true);
      assertEquals("low on memory", reason.get());

      // The broker is up and serves a consumer on another connection.
      Connection consumerConnection = factory.newConnection();
      connections.add(consumerConnection);
      Channel consumer = consumerConnection.createChannel();
      int backlog = consumer.queueDeclarePassive("flood").getMessageCount();
      assertTrue(backlog > 0);
      consumer.basicConsume(
          "flood",
          true,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {}
          });
      assertTrue(unblocked.await(120, TimeUnit.SECONDS), "no connection.unblocked");
      for (Thread publisher : publishers) {
        publisher.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertTrue(consumerConnection.isOpen());
      assertTrue(connections.get(0).isOpen(), "the blocked publisher was not disconnected");
    } finally {
      stop.set(true);
      for (Connection connection : connections) {
        connection.abort(1_000);
      }
      broker.kill();
    }
  }
}
