package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connection negotiation, channel lifecycle and the scope of errors. */
class ChannelAndConnectionTest extends ClientTestBase {

  @Test
  void channelErrorClosesOnlyThatChannel() throws Exception {
    Channel bystander = connection.createChannel();
    String queue = serverNamedQueue();

    expectChannelClose(channel, ch -> ch.queueDeclarePassive(unique("missing")));

    assertFalse(channel.isOpen());
    assertTrue(connection.isOpen());
    assertTrue(bystander.isOpen());
    bystander.basicPublish("", queue, null, bytes("still working"));
    assertEquals("still working", text(awaitGet(bystander, queue, true).getBody()));
    Channel fresh = connection.createChannel();
    assertEquals(0, fresh.queueDeclarePassive(queue).getMessageCount());
  }

  @Test
  void consumersOnOtherChannelsKeepReceivingAfterAChannelError() throws Exception {
    Channel consumerChannel = connection.createChannel();
    String queue = serverNamedQueue();
    RecordingConsumer consumer = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(queue, true, consumer);

    expectChannelClose(channel, ch -> ch.basicAck(123, false));
    Channel publisher = connection.createChannel();
    publisher.basicPublish("", queue, null, bytes("after the error"));

    assertEquals("after the error", consumer.nextBody());
  }

  @Test
  void manyChannelsOnOneConnectionWorkIndependently() throws Exception {
    String queue = serverNamedQueue();
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      channels.add(connection.createChannel());
    }

    for (int i = 0; i < channels.size(); i++) {
      channels.get(i).basicPublish("", queue, null, bytes("from " + i));
    }

    awaitMessageCount(queue, 200);
    for (Channel each : channels) {
      each.close();
    }
    assertTrue(connection.isOpen());
  }

  @Test
  void channelNumberCanBeReusedAfterClose() throws Exception {
    String queue = serverNamedQueue();
    Channel first = connection.createChannel(42);
    first.basicPublish("", queue, null, bytes("first life"));
    first.close();

    Channel second = connection.createChannel(42);

    assertEquals(42, second.getChannelNumber());
    second.basicPublish("", queue, null, bytes("second life"));
    assertEquals("first life", text(awaitGet(second, queue, true).getBody()));
    assertEquals("second life", text(awaitGet(second, queue, true).getBody()));
  }

  @Test
  void channelNumberCanBeReusedAfterBrokerClosedIt() throws Exception {
    Channel doomed = connection.createChannel(7);
    expectChannelClose(doomed, ch -> ch.queueDeclarePassive(unique("missing")));

    Channel reopened = connection.createChannel(7);

    assertEquals(7, reopened.getChannelNumber());
    assertTrue(reopened.queueDeclare().getQueue().startsWith("amq.gen-"));
  }

  @Test
  void consumersOfAClosedChannelStopReceiving() throws Exception {
    String queue = serverNamedQueue();
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicConsume(queue, true, new RecordingConsumer(consumerChannel));
    assertEquals(1, channel.queueDeclarePassive(queue).getConsumerCount());

    consumerChannel.close();

    assertEquals(0, channel.queueDeclarePassive(queue).getConsumerCount());
  }

  @Test
  void brokerAnnouncesCapabilitiesTheJavaClientUses() {
    Map<String, Object> server = connection.getServerProperties();
    @SuppressWarnings("unchecked")
    Map<String, Object> capabilities = (Map<String, Object>) server.get("capabilities");

    for (String capability :
        List.of(
            "publisher_confirms",
            "exchange_exchange_bindings",
            "basic.nack",
            "consumer_cancel_notify",
            "per_consumer_qos")) {
      assertEquals(true, capabilities.get(capability), capability);
    }
    assertTrue(server.containsKey("product"));
    assertTrue(server.containsKey("version"));
  }

  @Test
  void connectionTuningMatchesRabbitMqDefaults() {
    assertEquals(131072, connection.getFrameMax());
    assertEquals(2047, connection.getChannelMax());
    assertEquals(60, connection.getHeartbeat());
  }

  @Test
  void clientCanAskForSmallerFrameMaxAndStillSendLargeMessages() throws Exception {
    ConnectionFactory factory = connectionFactory();
    factory.setRequestedFrameMax(4096);
    try (Connection small = factory.newConnection()) {
      assertEquals(4096, small.getFrameMax());
      Channel smallChannel = small.createChannel();
      String queue = smallChannel.queueDeclare().getQueue();
      byte[] body = new byte[100_000];
      Arrays.fill(body, (byte) 'x');

      smallChannel.basicPublish("", queue, null, body);

      assertEquals(body.length, awaitGet(smallChannel, queue, true).getBody().length);
    }
  }

  @Test
  void idleConnectionWithOneSecondHeartbeatStaysOpen() throws Exception {
    ConnectionFactory factory = connectionFactory();
    factory.setRequestedHeartbeat(1);
    try (Connection idle = factory.newConnection()) {
      CountDownLatch closed = new CountDownLatch(1);
      idle.addShutdownListener(cause -> closed.countDown());

      // the client gives up after about two missed heartbeats, so idling for three proves them
      assertFalse(closed.await(3500, TimeUnit.MILLISECONDS), "closed: " + idle.getCloseReason());

      assertEquals(1, idle.getHeartbeat());
      assertTrue(idle.createChannel().isOpen());
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    ConnectionFactory factory = connectionFactory();
    factory.setPassword("not-the-password");

    assertThrows(AuthenticationFailureException.class, factory::newConnection);
  }

  @Test
  void unknownVirtualHostIsRefusedWith530() {
    ConnectionFactory factory = connectionFactory();
    factory.setVirtualHost(unique("vhost"));

    IOException failure = assertThrows(IOException.class, factory::newConnection);

    ShutdownSignalException close = reasonOf(failure);
    assertTrue(close.isHardError());
    assertReply(close, 530);
  }

  @Test
  void clientCloseIsCleanAndReportedAsInitiatedByApplication() throws Exception {
    Connection other = newConnection();
    other.createChannel().queueDeclare();

    other.close();

    assertFalse(other.isOpen());
    assertTrue(other.getCloseReason().isInitiatedByApplication());
  }

  @Test
  void brokerShutdownClosesClientConnectionsWith320() throws Exception {
    // RabbitMQ cannot be stopped from here; this needs a Warren of its own
    assumeTrue(broker.isWarren(), "needs an in-VM Warren");
    Connection doomed;
    try (TestBroker ownBroker = TestBroker.start()) {
      ConnectionFactory factory = connectionFactory();
      factory.setPort(ownBroker.port());
      doomed = factory.newConnection();
    }

    ShutdownSignalException close = awaitShutdown(doomed);

    assertTrue(close.isHardError());
    assertReply(close, 320, "CONNECTION_FORCED");
  }

  @Test
  void concurrentPublishersOnSeparateConnectionsLoseNothing() throws Exception {
    String queue = namedQueue("concurrent");
    int publishers = 4;
    int perPublisher = 250;
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        done.add(
            pool.submit(
                () -> {
                  try (Connection own = newConnection()) {
                    Channel ownChannel = own.createChannel();
                    ownChannel.confirmSelect();
                    for (int i = 0; i < perPublisher; i++) {
                      ownChannel.basicPublish("", queue, null, bytes(publisher + "-" + i));
                    }
                    ownChannel.waitForConfirmsOrDie(TIMEOUT.toMillis());
                  }
                  return null;
                }));
      }
      for (Future<?> each : done) {
        each.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(publishers * perPublisher, channel.queueDeclarePassive(queue).getMessageCount());
    assertEquals(publishers * perPublisher, channel.queueDelete(queue).getMessageCount());
  }

  @Test
  void manyConnectionsCanBeOpenAtOnce() throws Exception {
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        connections.add(newConnection());
      }
      for (Connection each : connections) {
        assertTrue(each.createChannel().isOpen());
      }
    } finally {
      for (Connection each : connections) {
        each.abort();
      }
    }
  }
}
