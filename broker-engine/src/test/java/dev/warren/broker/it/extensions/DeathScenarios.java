package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The dead-lettering sessions of the Java client's XDeathHeaderGrowth, for Warren's own tests and
 * for the comparison with a RabbitMQ node. Every name starts with the given prefix.
 */
public final class DeathScenarios {

  private DeathScenarios() {}

  /**
   * Three expiring hops (q1 → q2 → q3 through fanouts x1..x3), then a last queue that dead-letters
   * into x3 itself and whose consumer rejects nine times before acking.
   *
   * @return the tenth delivery's x-death
   */
  public static List<Map<String, Object>> threeHopsThenNineRejects(
      Connection connection, String prefix, Duration timeout) throws Exception {
    Channel channel = connection.createChannel();
    for (int i = 1; i <= 3; i++) {
      channel.exchangeDeclare(prefix + "-x" + i, "fanout", false, true, null);
    }
    String q1 = deadLettering(channel, prefix + "-q1", prefix + "-x1", true);
    channel.queueBind(
        deadLettering(channel, prefix + "-q2", prefix + "-x2", true), prefix + "-x1", "");
    channel.queueBind(
        deadLettering(channel, prefix + "-q3", prefix + "-x3", true), prefix + "-x2", "");
    String last = deadLettering(channel, prefix + "-qz", prefix + "-x3", false);
    channel.queueBind(last, prefix + "-x3", "");
    channel.basicPublish("", q1, null, new byte[] {'m'});
    return rejectNineTimesThenAck(connection, last, timeout);
  }

  /** A queue dead-lettering to {@code dlx}, expiring its messages at once if {@code ttl}. */
  public static String deadLettering(Channel channel, String queue, String dlx, boolean ttl)
      throws IOException {
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("x-dead-letter-exchange", dlx);
    arguments.put("x-dead-letter-routing-key", "some-routing-key");
    if (ttl) {
      arguments.put("x-message-ttl", 1);
    }
    channel.queueDeclare(queue, false, false, true, arguments);
    return queue;
  }

  /**
   * Rejects (without requeue, so it dead-letters back) the first nine deliveries of a queue and
   * acks the tenth, returning the tenth's x-death.
   */
  public static List<Map<String, Object>> rejectNineTimesThenAck(
      Connection connection, String queue, Duration timeout) throws Exception {
    CountDownLatch tenth = new CountDownLatch(1);
    AtomicReference<Map<String, Object>> headers = new AtomicReference<>();
    Channel consuming = connection.createChannel();
    consuming.basicConsume(
        queue,
        false,
        new DefaultConsumer(consuming) {
          private int deliveries;

          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            if (++deliveries < 10) {
              getChannel().basicReject(envelope.getDeliveryTag(), false);
            } else {
              getChannel().basicAck(envelope.getDeliveryTag(), false);
              headers.set(properties.getHeaders());
              tenth.countDown();
            }
          }
        });
    assertTrue(tenth.await(timeout.toMillis(), TimeUnit.MILLISECONDS), "ten deliveries");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deaths = (List<Map<String, Object>>) headers.get().get("x-death");
    return deaths;
  }
}
