package dev.warren.broker.security;

import static dev.warren.broker.security.SecurityFixture.channelClose;
import static dev.warren.broker.security.SecurityFixture.factory;
import static dev.warren.broker.security.SecurityFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-vhost limits on queues (RabbitMQ's max-queues) and exchanges: only declaring a new one past
 * the limit is refused, with a 406 channel error. Each test starts its own broker so that the
 * counts are exactly what the test declared.
 */
class VirtualHostLimitsTest {
  private static final int LIMIT = 3;

  private TestBroker broker;
  private Connection connection;

  private Channel open(SecurityConfig security) throws Exception {
    broker = TestBroker.start(BrokerConfig.defaults().withSecurity(security));
    assumeTrue(broker.isWarren(), "the limits are configured in Warren, not in an external broker");
    connection = factory(broker.port(), "guest", "guest", "/").newConnection();
    return connection.createChannel();
  }

  private Channel openLimited() throws Exception {
    return open(
        SecurityConfig.defaults().withMaxQueuesPerVhost(LIMIT).withMaxExchangesPerVhost(LIMIT));
  }

  @AfterEach
  void stopBroker() {
    if (connection != null) {
      connection.abort();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static List<String> declareQueues(Channel channel, int count) throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = unique("limit-q");
      channel.queueDeclare(name, false, false, false, null);
      names.add(name);
    }
    return names;
  }

  private static List<String> declareExchanges(Channel channel, int count) throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = unique("limit-x");
      channel.exchangeDeclare(name, "direct");
      names.add(name);
    }
    return names;
  }

  private static void assertLimitReached(IOException failure, String kind, String name) {
    AMQP.Channel.Close close = channelClose(failure);
    assertNotNull(close, "expected a channel close, got " + failure);
    assertEquals(406, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - cannot declare %s '%s': %s limit in vhost '/' (%d) is reached"
            .formatted(kind, name, kind, LIMIT),
        close.getReplyText());
  }

  @Test
  void declaringAQueueBeyondTheLimitClosesTheChannelWith406() throws Exception {
    Channel channel = openLimited();
    declareQueues(channel, LIMIT);

    String oneTooMany = unique("limit-q");
    IOException failure =
        assertThrows(
            IOException.class, () -> channel.queueDeclare(oneTooMany, false, false, false, null));

    assertLimitReached(failure, "queue", oneTooMany);
    assertTrue(connection.isOpen(), "a channel error must leave the connection open");
  }

  @Test
  void aServerNamedQueueCountsTowardTheLimit() throws Exception {
    Channel channel = openLimited();
    declareQueues(channel, LIMIT);

    IOException failure = assertThrows(IOException.class, channel::queueDeclare);

    AMQP.Channel.Close close = channelClose(failure);
    assertNotNull(close);
    assertEquals(406, close.getReplyCode());
    assertTrue(
        close.getReplyText().startsWith("PRECONDITION_FAILED - cannot declare queue 'amq.gen-"),
        close.getReplyText());
  }

  @Test
  void redeclaringAndPassivelyDeclaringExistingQueuesAtTheLimitSucceed() throws Exception {
    Channel channel = openLimited();
    List<String> queues = declareQueues(channel, LIMIT);

    for (String queue : queues) {
      assertEquals(queue, channel.queueDeclare(queue, false, false, false, null).getQueue());
      assertEquals(queue, channel.queueDeclarePassive(queue).getQueue());
    }
    assertTrue(channel.isOpen());
  }

  @Test
  void afterDeletingAQueueANewOneMayBeDeclared() throws Exception {
    Channel channel = openLimited();
    List<String> queues = declareQueues(channel, LIMIT);

    channel.queueDelete(queues.get(0));
    String replacement = unique("limit-q");

    assertEquals(
        replacement, channel.queueDeclare(replacement, false, false, false, null).getQueue());
  }

  @Test
  void declaringAnExchangeBeyondTheLimitClosesTheChannelWith406() throws Exception {
    Channel channel = openLimited();
    declareExchanges(channel, LIMIT);

    String oneTooMany = unique("limit-x");
    IOException failure =
        assertThrows(IOException.class, () -> channel.exchangeDeclare(oneTooMany, "fanout"));

    assertLimitReached(failure, "exchange", oneTooMany);
    assertTrue(connection.isOpen(), "a channel error must leave the connection open");
  }

  @Test
  void redeclaringExistingExchangesAtTheLimitSucceeds() throws Exception {
    Channel channel = openLimited();
    List<String> exchanges = declareExchanges(channel, LIMIT);

    for (String exchange : exchanges) {
      channel.exchangeDeclare(exchange, "direct");
      channel.exchangeDeclarePassive(exchange);
    }
    channel.exchangeDeclarePassive("amq.topic");
    assertTrue(channel.isOpen());
  }

  @Test
  void afterDeletingAnExchangeANewOneMayBeDeclared() throws Exception {
    Channel channel = openLimited();
    List<String> exchanges = declareExchanges(channel, LIMIT);

    channel.exchangeDelete(exchanges.get(0));
    String replacement = unique("limit-x");
    channel.exchangeDeclare(replacement, "topic");

    channel.exchangeDeclarePassive(replacement);
    assertTrue(channel.isOpen());
  }

  @Test
  void queueAndExchangeLimitsAreCountedSeparately() throws Exception {
    Channel channel = openLimited();
    declareQueues(channel, LIMIT);

    declareExchanges(channel, LIMIT);

    assertTrue(channel.isOpen());
  }

  @Test
  void byDefaultThereIsNoLimit() throws Exception {
    Channel channel = open(SecurityConfig.defaults());
    int many = 200;

    List<String> queues = declareQueues(channel, many);
    List<String> exchanges = declareExchanges(channel, many);

    assertEquals(many, queues.size());
    assertEquals(many, exchanges.size());
    channel.queueDeclarePassive(queues.get(many - 1));
    channel.exchangeDeclarePassive(exchanges.get(many - 1));
  }

  @Test
  void durableQueuesBeyondALoweredLimitAreStillRecovered(@TempDir Path dataDir) throws Exception {
    BrokerConfig config =
        BrokerConfig.defaults().withBindAddress(TestBroker.HOST).withPort(0).withDataDir(dataDir);
    List<String> queues = new ArrayList<>();
    try (BrokerEngine unlimited = BrokerEngine.start(config);
        Connection first = factory(unlimited.amqpPort(), "guest", "guest", "/").newConnection()) {
      Channel channel = first.createChannel();
      for (int i = 0; i < LIMIT + 1; i++) {
        String name = unique("recovered");
        channel.queueDeclare(name, true, false, false, null);
        queues.add(name);
      }
    }

    try (BrokerEngine limited =
            BrokerEngine.start(
                config.withSecurity(SecurityConfig.defaults().withMaxQueuesPerVhost(LIMIT)));
        Connection second = factory(limited.amqpPort(), "guest", "guest", "/").newConnection()) {
      Channel channel = second.createChannel();
      for (String queue : queues) {
        assertEquals(queue, channel.queueDeclare(queue, true, false, false, null).getQueue());
      }
      String oneTooMany = unique("limit-q");
      IOException failure =
          assertThrows(
              IOException.class, () -> channel.queueDeclare(oneTooMany, true, false, false, null));
      assertLimitReached(failure, "queue", oneTooMany);
    }
  }
}
