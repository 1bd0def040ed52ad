package dev.warren.broker.metrics;

import static dev.warren.broker.engine.api.MessageCounter.ACK;
import static dev.warren.broker.engine.api.MessageCounter.CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.DROP_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.GET;
import static dev.warren.broker.engine.api.MessageCounter.GET_EMPTY;
import static dev.warren.broker.engine.api.MessageCounter.GET_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH_CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.REDELIVER;
import static dev.warren.broker.engine.api.MessageCounter.RETURN_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.ROUTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.MetricsConfig;
import dev.warren.broker.engine.api.BrokerStatistics;
import dev.warren.broker.engine.api.ChannelStatistics;
import dev.warren.broker.engine.api.ConnectionStatistics;
import dev.warren.broker.engine.api.ExchangeStatistics;
import dev.warren.broker.engine.api.MessageCounter;
import dev.warren.broker.engine.api.MessageSizeHistogram;
import dev.warren.broker.engine.api.MessageStats;
import dev.warren.broker.engine.api.QueueStatistics;
import dev.warren.broker.engine.api.VirtualHostStatistics;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The counters behind the management API's message_stats and Prometheus, after known sessions of
 * RabbitMQ's Java client: each counter moves by exactly what the session did. Tests share a broker,
 * so they compare before and after (or look at their own queue, exchange or connection).
 */
class MessageCountersTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private static TestBroker broker;
  private static BrokerStatistics statistics;

  @BeforeAll
  static void start() {
    broker =
        TestBroker.start(
            BrokerConfig.defaults()
                .withMetrics(MetricsConfig.NONE.withStatisticsInterval(INTERVAL)));
    statistics = broker.engine().admin().statistics();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Connection connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    return factory.newConnection();
  }

  private static String unique(String what) {
    return what + "-" + UUID.randomUUID();
  }

  @Test
  void publishingTenAndConsumingTenMovesEachCounterByWhatHappened() throws Exception {
    Map<MessageCounter, Long> before = counts(statistics.overview().messageStats());
    long sizesBefore = statistics.messageSizes().count();
    String queue = unique("counted");
    try (Connection connection = connect()) {
      Channel publisher = connection.createChannel();
      publisher.queueDeclare(queue, false, false, false, null);
      publisher.confirmSelect();
      for (int i = 0; i < 10; i++) {
        publisher.basicPublish("", queue, null, new byte[50]);
      }
      publisher.basicPublish("amq.direct", unique("nowhere"), false, null, new byte[150]);
      publisher.basicPublish("amq.direct", unique("nowhere"), true, null, new byte[1500]);
      publisher.waitForConfirmsOrDie(TIMEOUT.toMillis());

      Channel consumer = connection.createChannel();
      CountDownLatch received = new CountDownLatch(10);
      consumer.basicConsume(
          queue,
          false,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
              consumer.basicAck(envelope.getDeliveryTag(), false);
              received.countDown();
            }
          });
      assertTrue(received.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      assertNull(publisher.basicGet(queue, false));

      Map<MessageCounter, Long> expected = new EnumMap<>(MessageCounter.class);
      expected.put(PUBLISH, 12L);
      expected.put(PUBLISH_CONFIRM, 12L);
      expected.put(ROUTED, 10L);
      expected.put(DROP_UNROUTABLE, 1L);
      expected.put(RETURN_UNROUTABLE, 1L);
      expected.put(CONFIRM, 12L);
      expected.put(DELIVER, 10L);
      expected.put(ACK, 10L);
      expected.put(GET_EMPTY, 1L);
      awaitDelta(before, expected);

      QueueStatistics counted = statistics.queue("/", queue).orElseThrow();
      assertEquals(10, counted.messageStats().count(PUBLISH));
      assertEquals(10, counted.messageStats().count(DELIVER));
      assertEquals(10, counted.messageStats().count(ACK));
      assertEquals(1, counted.messageStats().count(GET_EMPTY));
      assertEquals(0, counted.messageStats().count(CONFIRM), "queues count no confirms");
      assertEquals(10, counted.messageStats().deliverGet().value());
      assertEquals(0, counted.totals().messages().value());
      assertEquals(1, counted.consumers());
      assertFalse(counted.messageStats().counters().containsKey(CONFIRM));

      MessageSizeHistogram sizes = statistics.messageSizes();
      assertEquals(12, sizes.count() - sizesBefore);
      assertTrue(sizes.upperBounds().containsAll(List.of(100L, 1_000L, 10_000L, 100_000_000L)));
    }
  }

  @Test
  void exchangesCountWhatCameInAndEveryCopyThatWentOut() throws Exception {
    String exchange = unique("fanout");
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      channel.exchangeDeclare(exchange, "fanout");
      for (int i = 0; i < 3; i++) {
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, "");
      }
      channel.confirmSelect();
      for (int i = 0; i < 4; i++) {
        channel.basicPublish(exchange, "", null, new byte[1]);
      }
      channel.waitForConfirmsOrDie(TIMEOUT.toMillis());

      ExchangeStatistics counted = statistics.exchange("/", exchange).orElseThrow();
      assertEquals(4, counted.publishIn().value());
      assertEquals(12, counted.publishOut().value());
      assertEquals(
          List.of("publish_in", "publish_out"), List.copyOf(counted.managementFields().keySet()));
    }
  }

  @Test
  void unacknowledgedFetchesAreCountedUntilSettledAndRequeuedOnesComeBackRedelivered()
      throws Exception {
    String queue = unique("fetched");
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(queue, false, false, false, null);
      channel.confirmSelect();
      channel.basicPublish("", queue, null, new byte[1]);
      channel.basicPublish("", queue, null, new byte[1]);
      channel.waitForConfirmsOrDie(TIMEOUT.toMillis());

      GetResponse first = channel.basicGet(queue, false);
      assertNotNull(first);
      QueueStatistics held = statistics.queue("/", queue).orElseThrow();
      assertEquals(1, held.totals().ready().value());
      assertEquals(1, held.totals().unacknowledged().value());
      assertEquals(2, held.totals().messages().value());
      ChannelStatistics onChannel = channelOf(connection, channel.getChannelNumber());
      assertEquals(1, onChannel.messageStats().count(GET));

      channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      GetResponse again = awaitGet(channel, queue, true);
      assertTrue(again.getEnvelope().isRedeliver());
      assertNotNull(awaitGet(channel, queue, true));

      await(() -> statistics.queue("/", queue).orElseThrow().totals().messages().value() == 0);
      MessageStats counted = statistics.queue("/", queue).orElseThrow().messageStats();
      assertEquals(1, counted.count(GET));
      assertEquals(2, counted.count(GET_NO_ACK));
      assertEquals(1, counted.count(REDELIVER));
      assertEquals(0, counted.count(ACK), "a nack is no ack");
      assertEquals(3, counted.deliverGet().value());
    }
  }

  @Test
  void autoAckConsumersAreCountedApart() throws Exception {
    String queue = unique("auto");
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(queue, false, false, false, null);
      CountDownLatch received = new CountDownLatch(5);
      channel.basicConsume(
          queue,
          true,
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
              received.countDown();
            }
          });
      for (int i = 0; i < 5; i++) {
        channel.basicPublish("", queue, null, new byte[1]);
      }
      assertTrue(received.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      MessageStats counted = statistics.queue("/", queue).orElseThrow().messageStats();
      assertEquals(5, counted.count(DELIVER_NO_ACK));
      assertEquals(0, counted.count(DELIVER));
      assertEquals(0, statistics.queue("/", queue).orElseThrow().totals().unacknowledged().value());
    }
  }

  @Test
  void countsOfClosedChannelsAndConnectionsStayInTheTotals() throws Exception {
    long publishedBefore = statistics.overview().messageStats().count(PUBLISH);
    VirtualHostStatistics hostBefore = virtualHost("/");
    var churnBefore = statistics.overview().churn();
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      for (int i = 0; i < 7; i++) {
        channel.basicPublish("", queue, null, new byte[10]);
      }
      channel.queueDelete(queue);
      channel.close();
    }
    var churn = statistics.overview().churn();
    assertEquals(7, statistics.overview().messageStats().count(PUBLISH) - publishedBefore);
    assertEquals(
        7,
        virtualHost("/").messageStats().count(PUBLISH) - hostBefore.messageStats().count(PUBLISH));
    assertTrue(virtualHost("/").octetsReceived().value() > hostBefore.octetsReceived().value());
    assertEquals(1, churn.connectionsOpened().value() - churnBefore.connectionsOpened().value());
    assertEquals(1, churn.connectionsClosed().value() - churnBefore.connectionsClosed().value());
    assertEquals(1, churn.channelsOpened().value() - churnBefore.channelsOpened().value());
    assertEquals(1, churn.channelsClosed().value() - churnBefore.channelsClosed().value());
    assertEquals(1, churn.queuesDeclared().value() - churnBefore.queuesDeclared().value());
    assertEquals(1, churn.queuesCreated().value() - churnBefore.queuesCreated().value());
    assertEquals(1, churn.queuesDeleted().value() - churnBefore.queuesDeleted().value());
  }

  @Test
  void connectionsAndChannelsAreNamedAsRabbitMqNamesThemAndCountTheirTraffic() throws Exception {
    try (Connection connection = connect()) {
      Channel first = connection.createChannel();
      Channel second = connection.createChannel(7);
      first.queueDeclare();
      ConnectionStatistics counted = connectionOf(connection);
      assertTrue(
          counted.name().matches("127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + broker.port()),
          counted.name());
      assertEquals("guest", counted.user());
      assertEquals(2, counted.channels());
      assertTrue(counted.octetsReceived().value() > 0);
      assertTrue(counted.octetsSent().value() > 0);
      assertTrue(counted.packetsReceived() > 0);
      assertTrue(counted.packetsSent() > 0);
      assertEquals(7, channelOf(connection, second.getChannelNumber()).number());
      assertNotNull(channelOf(connection, first.getChannelNumber()));
      assertFalse(channelOf(connection, first.getChannelNumber()).publisher());
      first.basicPublish("", "nowhere", null, new byte[1]);
      await(() -> channelOf(connection, first.getChannelNumber()).publisher());
    }
  }

  @Test
  void ratesFollowTheSampledCounters() throws Exception {
    String queue = unique("rated");
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(queue, false, false, false, null);
      channel.confirmSelect();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      // Publish until a sampling interval has seen some of it.
      while (statistics.queue("/", queue).orElseThrow().messageStats().get(PUBLISH).rate() <= 0) {
        assertTrue(System.nanoTime() < deadline, "no publish rate within " + TIMEOUT);
        channel.basicPublish("", queue, null, new byte[1]);
        channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
      }
      assertTrue(statistics.overview().messageStats().get(PUBLISH).rate() > 0);
      // Nothing more is published: the next samples bring the rate back to zero.
      await(
          () -> statistics.queue("/", queue).orElseThrow().messageStats().get(PUBLISH).rate() == 0);
      assertTrue(statistics.queue("/", queue).orElseThrow().totals().messages().value() > 0);
    }
  }

  // --- helpers

  private static Map<MessageCounter, Long> counts(MessageStats stats) {
    Map<MessageCounter, Long> counts = new EnumMap<>(MessageCounter.class);
    for (MessageCounter counter : MessageCounter.values()) {
      counts.put(counter, stats.count(counter));
    }
    return counts;
  }

  /** Waits until every counter moved by exactly what is expected (zero for those not named). */
  private static void awaitDelta(Map<MessageCounter, Long> before, Map<MessageCounter, Long> moved)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Map<MessageCounter, Long> now = counts(statistics.overview().messageStats());
      Map<MessageCounter, Long> delta = new EnumMap<>(MessageCounter.class);
      for (MessageCounter counter : MessageCounter.values()) {
        delta.put(counter, now.get(counter) - before.get(counter));
      }
      Map<MessageCounter, Long> expected = new EnumMap<>(MessageCounter.class);
      for (MessageCounter counter : MessageCounter.values()) {
        expected.put(counter, moved.getOrDefault(counter, 0L));
      }
      if (delta.equals(expected) || System.nanoTime() > deadline) {
        assertEquals(expected, delta);
        return;
      }
      Thread.sleep(10); // polling a counter towards a deadline
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + TIMEOUT);
      Thread.sleep(10); // polling towards a deadline
    }
  }

  private static GetResponse awaitGet(Channel channel, String queue, boolean autoAck)
      throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    GetResponse response;
    while ((response = channel.basicGet(queue, autoAck)) == null) {
      assertTrue(System.nanoTime() < deadline, "nothing to get from " + queue);
      Thread.sleep(10);
    }
    return response;
  }

  private static VirtualHostStatistics virtualHost(String name) {
    return statistics.virtualHosts().stream()
        .filter(host -> host.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The broker's statistics of a client connection, found by the client's local port. */
  private static ConnectionStatistics connectionOf(Connection connection) {
    int localPort = ((com.rabbitmq.client.impl.NetworkConnection) connection).getLocalPort();
    String peer = "127.0.0.1:" + localPort + " ->";
    return statistics.connections().stream()
        .filter(c -> c.name().startsWith(peer))
        .findFirst()
        .orElseThrow();
  }

  private static ChannelStatistics channelOf(Connection connection, int number) {
    String name = connectionOf(connection).name();
    return statistics.channels().stream()
        .filter(c -> c.connectionName().equals(name) && c.number() == number)
        .findFirst()
        .orElseThrow();
  }
}
