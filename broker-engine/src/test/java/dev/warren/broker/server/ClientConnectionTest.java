package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connection as RabbitMQ's own Java client sees it: handshake, negotiation, errors. */
class ClientConnectionTest {
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
  void handshakeAdvertisesProductAndCapabilities() throws Exception {
    try (Connection connection = factory().newConnection()) {
      Map<String, Object> properties = connection.getServerProperties();
      assertNotNull(properties.get("product"));
      assertNotNull(properties.get("version"));
      @SuppressWarnings("unchecked")
      Map<String, Object> capabilities = (Map<String, Object>) properties.get("capabilities");
      assertEquals(true, capabilities.get("publisher_confirms"));
      assertEquals(true, capabilities.get("basic.nack"));
      assertEquals(true, capabilities.get("consumer_cancel_notify"));
      assertEquals(true, capabilities.get("exchange_exchange_bindings"));
      assertEquals(true, capabilities.get("authentication_failure_close"));
      assertEquals(true, capabilities.get("per_consumer_qos"));
    }
  }

  @Test
  void wrongPasswordIsRefusedWith403() {
    ConnectionFactory factory = factory();
    factory.setPassword("not-the-password");

    AuthenticationFailureException refused =
        assertThrows(AuthenticationFailureException.class, factory::newConnection);
    assertTrue(refused.getMessage().contains("ACCESS_REFUSED"), refused.getMessage());
  }

  @Test
  void unknownVirtualHostIsRefusedWith530() {
    ConnectionFactory factory = factory();
    factory.setVirtualHost("no-such-vhost-" + UUID.randomUUID());

    IOException refused = assertThrows(IOException.class, factory::newConnection);
    assertEquals(530, ((AMQP.Connection.Close) closeReason(refused)).getReplyCode());
  }

  @Test
  void clientRequestedHeartbeatAndFrameMaxAreNegotiated() throws Exception {
    ConnectionFactory factory = factory();
    factory.setRequestedHeartbeat(7);
    factory.setRequestedFrameMax(8192);
    try (Connection connection = factory.newConnection()) {
      assertEquals(7, connection.getHeartbeat());
      assertEquals(8192, connection.getFrameMax());
    }
  }

  @Test
  void bodyLargerThanFrameMaxIsSplitAndReassembled() throws Exception {
    ConnectionFactory factory = factory();
    factory.setRequestedFrameMax(4096);
    byte[] body = new byte[1024 * 1024];
    new Random(42).nextBytes(body);
    try (Connection connection = factory.newConnection()) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare("", false, true, true, null).getQueue();

      channel.basicPublish("", queue, null, body);
      GetResponse got = pollGet(channel, queue);

      assertArrayEquals(body, got.getBody());
    }
  }

  @Test
  void channelErrorClosesOnlyTheChannel() throws Exception {
    try (Connection connection = factory().newConnection()) {
      Channel channel = connection.createChannel();
      String missing = "missing-" + UUID.randomUUID();

      IOException error =
          assertThrows(IOException.class, () -> channel.queueDeclarePassive(missing));

      ShutdownSignalException signal =
          assertInstanceOf(ShutdownSignalException.class, error.getCause());
      assertFalse(signal.isHardError());
      AMQP.Channel.Close close = (AMQP.Channel.Close) signal.getReason();
      assertEquals(404, close.getReplyCode());
      assertEquals("NOT_FOUND - no queue '" + missing + "' in vhost '/'", close.getReplyText());
      assertEquals(50, close.getClassId());
      assertEquals(10, close.getMethodId());
      assertTrue(connection.isOpen());
      assertTrue(connection.createChannel().queueDeclare().getQueue().startsWith("amq.gen-"));
    }
  }

  @Test
  void emptyQueueNameWithoutAPreviousDeclarationIsNotFound() throws Exception {
    try (Connection connection = factory().newConnection()) {
      Channel channel = connection.createChannel();

      IOException error = assertThrows(IOException.class, () -> channel.queuePurge(""));

      AMQP.Channel.Close close = (AMQP.Channel.Close) closeReason(error);
      assertEquals(404, close.getReplyCode());
      assertEquals("NOT_FOUND - no previously declared queue", close.getReplyText());
    }
  }

  @Test
  void emptyQueueNameMeansTheLastQueueDeclaredOnTheChannel() throws Exception {
    try (Connection connection = factory().newConnection()) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare("", false, true, true, null).getQueue();
      channel.basicPublish("", queue, null, "one".getBytes());

      assertEquals("one", new String(pollGet(channel, "").getBody()));
    }
  }

  @Test
  void prefetchSizeIsAConnectionErrorWith540() throws Exception {
    Connection connection = factory().newConnection();
    Channel channel = connection.createChannel();

    IOException error = assertThrows(IOException.class, () -> channel.basicQos(1024, 10, false));

    ShutdownSignalException signal = closeSignal(error);
    assertTrue(signal.isHardError());
    AMQP.Connection.Close close = (AMQP.Connection.Close) signal.getReason();
    assertEquals(540, close.getReplyCode());
    assertEquals("NOT_IMPLEMENTED - prefetch_size!=0 (1024)", close.getReplyText());
    assertEquals(60, close.getClassId());
    assertEquals(10, close.getMethodId());
    assertFalse(connection.isOpen());
  }

  @Test
  void immediatePublishIsAConnectionErrorWith540() throws Exception {
    Connection connection = factory().newConnection();
    Channel channel = connection.createChannel();
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    connection.addShutdownListener(closed::complete);

    channel.basicPublish("", "anywhere", false, true, null, new byte[0]);

    ShutdownSignalException signal = closed.get(10, TimeUnit.SECONDS);
    AMQP.Connection.Close close = (AMQP.Connection.Close) signal.getReason();
    assertEquals(540, close.getReplyCode());
    assertEquals("NOT_IMPLEMENTED - immediate=true", close.getReplyText());
    assertEquals(60, close.getClassId());
    assertEquals(40, close.getMethodId());
  }

  private static GetResponse pollGet(Channel channel, String queue)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) {
        return response;
      }
      Thread.onSpinWait();
    }
    throw new TimeoutException("no message in " + queue);
  }

  private static ShutdownSignalException closeSignal(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ShutdownSignalException signal) {
        return signal;
      }
    }
    throw new AssertionError("no ShutdownSignalException in " + error, error);
  }

  private static com.rabbitmq.client.Method closeReason(Throwable error) {
    return closeSignal(error).getReason();
  }

  private static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }
}
