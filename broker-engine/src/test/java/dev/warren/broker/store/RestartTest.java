package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a clean restart on the same data directory, and what does not (RabbitMQ's rules).
 */
class RestartTest {
  @TempDir Path dataDir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void persistentMessagesInDurableQueuesSurviveAndTransientOnesDoNot() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("durable-q", true, false, false, null);
      channel.queueDeclare("transient-q", false, false, false, null);
      channel.confirmSelect();
      channel.basicPublish("", "durable-q", MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("p1"));
      channel.basicPublish("", "durable-q", MessageProperties.TEXT_PLAIN, bytes("t1"));
      channel.basicPublish("", "durable-q", MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("p2"));
      channel.basicPublish("", "transient-q", MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("x"));
      channel.waitForConfirmsOrDie(10_000);
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      List<GetResponse> messages = broker.drain("durable-q");
      assertEquals(List.of("p1", "p2"), messages.stream().map(StoredBroker::text).toList());
      assertEquals("text/plain", messages.get(0).getProps().getContentType());
      assertEquals(2, messages.get(0).getProps().getDeliveryMode());
      Channel channel = broker.channel();
      assertThrows(IOException.class, () -> channel.queueDeclarePassive("transient-q"));
    }
  }

  @Test
  void exclusiveAndAutoDeleteQueuesAndTransientExchangesAreGoneAfterARestart() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("exclusive-q", true, true, false, null);
      channel.queueDeclare("auto-delete-q", true, false, true, null);
      // Their persistent messages are written before the confirm, as in RabbitMQ.
      channel.confirmSelect();
      channel.basicPublish("", "exclusive-q", MessageProperties.PERSISTENT_BASIC, bytes("e"));
      channel.basicPublish("", "auto-delete-q", MessageProperties.PERSISTENT_BASIC, bytes("a"));
      channel.waitForConfirmsOrDie(10_000);
      assertEquals(1, segmentFiles());
      channel.exchangeDeclare("transient-x", "fanout", false);
      channel.exchangeDeclare("durable-x", "topic", true, false, Map.of("note", "kept"));
      channel.queueDeclare("bound-q", true, false, false, Map.of("x-max-length", 100));
      channel.queueBind("bound-q", "durable-x", "a.*", Map.of("k", 1));
      channel.queueBind("bound-q", "amq.direct", "direct-key");
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertGone(broker, ch -> ch.queueDeclarePassive("exclusive-q"));
      assertGone(broker, ch -> ch.queueDeclarePassive("auto-delete-q"));
      assertGone(broker, ch -> ch.exchangeDeclarePassive("transient-x"));
      Channel channel = broker.channel();
      // Equivalent redeclarations pass: type, durability and arguments came back as declared.
      channel.exchangeDeclare("durable-x", "topic", true, false, Map.of("note", "kept"));
      channel.queueDeclare("bound-q", true, false, false, Map.of("x-max-length", 100));
      channel.basicPublish("durable-x", "a.b", null, bytes("via topic"));
      channel.basicPublish("amq.direct", "direct-key", null, bytes("via amq.direct"));
      assertEquals(
          List.of("via topic", "via amq.direct"),
          broker.drain("bound-q").stream().map(StoredBroker::text).toList());
    }
  }

  @Test
  void deletedQueuesAndBindingsStayDeleted() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("to-delete", true, false, false, null);
      channel.basicPublish("", "to-delete", MessageProperties.PERSISTENT_BASIC, bytes("gone"));
      channel.queueDelete("to-delete");
      channel.queueDeclare("unbound", true, false, false, null);
      channel.queueBind("unbound", "amq.fanout", "");
      channel.queueUnbind("unbound", "amq.fanout", "");
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertGone(broker, ch -> ch.queueDeclarePassive("to-delete"));
      Channel channel = broker.channel();
      channel.basicPublish("amq.fanout", "", null, bytes("nobody"));
      assertEquals(0, channel.queueDeclarePassive("unbound").getMessageCount());
      // A queue declared again under the old name starts empty.
      channel.queueDeclare("to-delete", true, false, false, null);
      assertEquals(0, channel.queueDeclarePassive("to-delete").getMessageCount());
    }
  }

  @Test
  void ackedMessagesNeverReappearAndUnackedOnesComeBackRedelivered() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("acks", true, false, false, null);
      for (int i = 0; i < 10; i++) {
        channel.basicPublish("", "acks", MessageProperties.PERSISTENT_BASIC, bytes("m" + i));
      }
      for (int i = 0; i < 4; i++) {
        GetResponse response = channel.basicGet("acks", false);
        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
      }
      assertEquals("m4", StoredBroker.text(channel.basicGet("acks", false))); // left unacked
      assertEquals("m5", StoredBroker.text(channel.basicGet("acks", true))); // auto-acked
      // Rejected without requeue: dropped for good.
      channel.basicReject(channel.basicGet("acks", false).getEnvelope().getDeliveryTag(), false);
      channel.txSelect();
      channel.basicAck(channel.basicGet("acks", false).getEnvelope().getDeliveryTag(), false);
      channel.txCommit(); // m7 acked in a committed transaction
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      List<GetResponse> messages = broker.drain("acks");
      assertEquals(List.of("m4", "m8", "m9"), messages.stream().map(StoredBroker::text).toList());
      assertTrue(messages.get(0).getEnvelope().isRedeliver());
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertEquals(0, broker.channel().queueDeclarePassive("acks").getMessageCount());
    }
  }

  @Test
  void purgedMessagesDoNotComeBack() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("purged", true, false, false, null);
      channel.basicPublish("", "purged", MessageProperties.PERSISTENT_BASIC, bytes("old"));
      channel.queuePurge("purged");
      channel.basicPublish("", "purged", MessageProperties.PERSISTENT_BASIC, bytes("new"));
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertEquals(
          List.of("new"), broker.drain("purged").stream().map(StoredBroker::text).toList());
    }
  }

  @Test
  void aMessageRoutedToTwoDurableQueuesIsKeptUntilBothAckIt() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.exchangeDeclare("fan", "fanout", true);
      channel.queueDeclare("left", true, false, false, null);
      channel.queueDeclare("right", true, false, false, null);
      channel.queueBind("left", "fan", "");
      channel.queueBind("right", "fan", "");
      channel.basicPublish("fan", "", MessageProperties.PERSISTENT_BASIC, bytes("both"));
      assertEquals(1, broker.drain("left").size());
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertEquals(0, broker.drain("left").size());
      assertEquals(
          List.of("both"), broker.drain("right").stream().map(StoredBroker::text).toList());
    }
  }

  @Test
  void fullyAckedSegmentsAreDeletedSoDiskUseStaysBounded() throws Exception {
    StoreConfig smallSegments = StoreConfig.defaults().withSegmentBytes(64 * 1024);
    try (StoredBroker broker = StoredBroker.start(dataDir, smallSegments)) {
      Channel channel = broker.channel();
      channel.queueDeclare("steady", true, false, false, null);
      channel.confirmSelect();
      byte[] body = new byte[1024];
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 200; i++) {
          channel.basicPublish("", "steady", MessageProperties.PERSISTENT_BASIC, body);
        }
        channel.waitForConfirmsOrDie(10_000);
        assertEquals(200, broker.drain("steady").size());
      }
      // ~4 MB went through; what is left is at most the open segment and its predecessor.
      assertTrue(segmentFiles() <= 4, "segment files left: " + segmentFiles());
    }
  }

  @Test
  void messagesAckedAfterTheirQueueWasDeletedStillFreeTheirSegments() throws Exception {
    StoreConfig smallSegments = StoreConfig.defaults().withSegmentBytes(64 * 1024);
    try (StoredBroker broker = StoredBroker.start(dataDir, smallSegments)) {
      Channel channel = broker.channel();
      channel.queueDeclare("doomed", true, false, false, null);
      channel.confirmSelect();
      byte[] body = new byte[1024];
      for (int i = 0; i < 1_000; i++) {
        channel.basicPublish("", "doomed", MessageProperties.PERSISTENT_BASIC, body);
      }
      channel.waitForConfirmsOrDie(10_000);
      assertTrue(segmentFiles() > 10, "segment files written: " + segmentFiles());
      Channel consumer = broker.channel();
      long lastTag = 0;
      for (int i = 0; i < 1_000; i++) {
        lastTag = consumer.basicGet("doomed", false).getEnvelope().getDeliveryTag();
      }

      channel.queueDelete("doomed");
      consumer.basicAck(lastTag, true);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (segmentFiles() > 1) {
        assertTrue(
            System.nanoTime() < deadline, "segment files left: " + segmentFiles() + ", want 1");
        TimeUnit.MILLISECONDS.sleep(20); // the store thread deletes them after the acks
      }
    }
  }

  @Test
  void propertiesAndHeadersRoundTripThroughTheStore() throws Exception {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .deliveryMode(2)
            .contentType("application/json")
            .headers(
                Map.of("n", 7, "s", "text", "nested", Map.of("l", 3L), "list", List.of(1, "a")))
            .correlationId("c-1")
            .messageId("id-1")
            .priority(3)
            .expiration("600000")
            .timestamp(new java.util.Date(1_700_000_000_000L))
            .appId("app")
            .build();
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("props", true, false, false, null);
      channel.basicPublish("", "props", properties, bytes("{}"));
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      AMQP.BasicProperties back = broker.drain("props").get(0).getProps();
      assertEquals("application/json", back.getContentType());
      assertEquals("c-1", back.getCorrelationId());
      assertEquals("id-1", back.getMessageId());
      assertEquals(3, back.getPriority());
      assertEquals("app", back.getAppId());
      assertEquals(properties.getTimestamp(), back.getTimestamp());
      assertEquals(7, back.getHeaders().get("n"));
      assertEquals("text", back.getHeaders().get("s").toString());
      assertFalse(back.getHeaders().isEmpty());
    }
  }

  @Test
  void aSecondBrokerOnTheSameDataDirectoryIsRefusedUntilTheFirstStops() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> StoredBroker.start(dataDir));
      assertTrue(refused.getMessage().contains("in use by another broker"), refused.getMessage());
      broker.channel().queueDeclare("still-served", true, false, false, null);
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      broker.channel().queueDeclarePassive("still-served");
    }
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
      return files.filter(f -> f.toString().endsWith(".seg")).count();
    }
  }

  private interface ChannelAction {
    void run(Channel channel) throws IOException;
  }

  private static void assertGone(StoredBroker broker, ChannelAction action) throws Exception {
    Channel channel = broker.channel();
    IOException e = assertThrows(IOException.class, () -> action.run(channel));
    assertTrue(String.valueOf(e.getCause()).contains("404"), String.valueOf(e.getCause()));
  }
}
