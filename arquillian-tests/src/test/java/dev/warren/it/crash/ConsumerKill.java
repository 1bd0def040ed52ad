package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import dev.warren.it.crash.clusterapp.OrderConsumer;
import dev.warren.it.crash.clusterapp.OrderPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The consuming server killed while its MDB works through the quorum queue: every message it had
 * not committed must reach another consumer, flagged redelivered if it had been delivered, and none
 * may be lost. What the MDB committed is known from the queue it publishes each processed body to
 * in the same transaction ({@link OrderConsumer#PROCESSED}), since its memory dies with it.
 */
final class ConsumerKill {
  private static final int MESSAGES = 100;
  private static final int PROCESSED_BEFORE_KILL = 10;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  /**
   * Publishes {@link #MESSAGES} persistent messages through the node at {@code port}, kills {@code
   * consumer} once its MDB has received {@link #PROCESSED_BEFORE_KILL} of them, then takes the
   * processed queue and the rest of the orders queue through that node: each message is processed
   * or handed over, and one both processed and handed over was delivered again with the flag (the
   * server died between committing the publish and the ack). The report's lines go to {@code
   * report}.
   */
  void killMidDelivery(
      ServerProcess consumer,
      Supplier<List<String>> received,
      String consumerName,
      int port,
      List<String> report)
      throws Exception {
    List<String> published = new ArrayList<>();
    try (Connection connection = AdapterProperties.connect("127.0.0.1", port, "guest", "guest")) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      for (int i = 0; i < MESSAGES; i++) {
        String body = OrderConsumer.PROCESSED_PREFIX + i;
        channel.basicPublish(
            "",
            OrderPublisher.QUEUE,
            MessageProperties.PERSISTENT_BASIC,
            body.getBytes(StandardCharsets.UTF_8));
        published.add(body);
      }
      channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
    }
    Deadline.await(
        TIMEOUT,
        consumerName + " receiving " + PROCESSED_BEFORE_KILL + " of them",
        () -> late(received.get()).size() >= PROCESSED_BEFORE_KILL);
    int receivedBeforeKill = late(received.get()).size();
    long killed = System.nanoTime();
    consumer.kill();

    List<String> processed = Collections.synchronizedList(new ArrayList<>());
    List<String> handedOver = Collections.synchronizedList(new ArrayList<>());
    Set<String> redelivered = Collections.synchronizedSet(new HashSet<>());
    try (Connection connection = AdapterProperties.connect("127.0.0.1", port, "guest", "guest")) {
      collect(connection, OrderConsumer.PROCESSED, processed, null);
      collect(connection, OrderPublisher.QUEUE, handedOver, redelivered);
      Deadline.await(
          TIMEOUT,
          "every message processed by " + consumerName + " or handed over",
          () -> arrived(processed, handedOver).containsAll(published));
    }
    long allThere = Duration.ofNanos(System.nanoTime() - killed).toMillis();
    List<String> late = late(handedOver);
    Set<String> both = new HashSet<>(late);
    both.retainAll(new HashSet<>(processed));
    report.add(
        ("%s killed after receiving %d of %d messages: it had committed %d, %d were handed over"
                + " (%d flagged redelivered), %d both processed and handed over; all there %d ms"
                + " after the kill")
            .formatted(
                consumerName,
                receivedBeforeKill,
                MESSAGES,
                processed.size(),
                late.size(),
                late.stream().filter(redelivered::contains).count(),
                both.size(),
                allThere));
    assertEquals(processed.size(), new HashSet<>(processed).size(), "a delivery processed twice");
    assertEquals(late.size(), new HashSet<>(late).size(), "a message handed over twice");
    assertEquals(
        Set.of(),
        both.stream().filter(body -> !redelivered.contains(body)).collect(Collectors.toSet()),
        "processed, then handed over without the redelivered flag");
  }

  /** Consumes {@code queue} with manual acks into {@code into}, noting redelivered bodies. */
  private static void collect(
      Connection connection, String queue, List<String> into, Set<String> redelivered)
      throws IOException {
    Channel channel = connection.createChannel();
    channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
    channel.basicQos(50);
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            String text = new String(body, StandardCharsets.UTF_8);
            into.add(text);
            if (redelivered != null && envelope.isRedeliver()) {
              redelivered.add(text);
            }
            getChannel().basicAck(envelope.getDeliveryTag(), false);
          }
        });
  }

  private static Set<String> arrived(List<String> processed, List<String> handedOver) {
    Set<String> all;
    synchronized (processed) {
      all = new HashSet<>(processed);
    }
    synchronized (handedOver) {
      all.addAll(handedOver);
    }
    return all;
  }

  private static List<String> late(List<String> bodies) {
    synchronized (bodies) {
      return bodies.stream()
          .filter(body -> body.startsWith(OrderConsumer.PROCESSED_PREFIX))
          .toList();
    }
  }
}
