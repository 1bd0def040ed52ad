package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable queue pages a persistent message out by reference to its record in the message
 * segments, not as a second copy: the pages stay small, the segments a page refers to stay until
 * every queue let the message go, and a restart pages the recovered backlog out the same way.
 */
class PagingByReferenceTest {
  private static final int IN_MEMORY = 100;
  private static final int MESSAGES = 3_000;
  private static final int SIZE = 1024;

  @TempDir Path dataDir;

  private StoredBroker start() throws Exception {
    return StoredBroker.start(
        dataDir,
        StoreConfig.defaults().withQueueMemoryMessages(IN_MEMORY).withSegmentBytes(256 * 1024));
  }

  private static byte[] body(int number) {
    byte[] body = new byte[SIZE];
    ByteBuffer.wrap(body).putInt(number);
    return body;
  }

  private static int number(GetResponse response) {
    return ByteBuffer.wrap(response.getBody()).getInt();
  }

  private static List<Integer> numbers(List<GetResponse> responses) {
    return responses.stream().map(PagingByReferenceTest::number).toList();
  }

  private static List<Integer> all() {
    return IntStream.range(0, MESSAGES).boxed().toList();
  }

  private static void publishConfirmed(Channel channel, String exchange, String routingKey)
      throws Exception {
    channel.confirmSelect();
    AMQP.BasicProperties properties =
        MessageProperties.PERSISTENT_BASIC
            .builder()
            .headers(Map.of("kept", "yes", "BCC", List.of("nowhere")))
            .build();
    for (int i = 0; i < MESSAGES; i++) {
      channel.basicPublish(exchange, routingKey, properties, body(i));
    }
    channel.waitForConfirmsOrDie(30_000);
  }

  @Test
  void persistentMessagesArePagedOutByReferenceAndComeBackWhole() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("referenced", true, false, false, null);
      publishConfirmed(channel, "", "referenced");

      long segments = bytesIn("messages");
      assertTrue(segments > MESSAGES * (long) SIZE, "segments: " + segments);
      long pages = bytesIn("paging");
      assertTrue(pages > 0, "some of the backlog is paged out");
      assertTrue(pages < segments / 10, "pages of " + pages + " bytes for " + segments);

      List<GetResponse> drained = broker.drain("referenced");
      assertEquals(all(), numbers(drained));
      GetResponse last = drained.get(MESSAGES - 1);
      assertEquals("yes", last.getProps().getHeaders().get("kept").toString());
      assertFalse(last.getProps().getHeaders().containsKey("BCC"), "BCC is never delivered");
      assertEquals(2, last.getProps().getDeliveryMode());
      assertEquals(0, bytesIn("paging"), "read pages are deleted");
    }
  }

  @Test
  void aSegmentStaysWhileAnotherQueueStillRefersToItsMessages() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.exchangeDeclare("both", "fanout", true);
      for (String queue : List.of("first", "second", "transient")) {
        channel.queueDeclare(queue, !queue.equals("transient"), false, false, null);
        channel.queueBind(queue, "both", "");
      }
      publishConfirmed(channel, "both", "");
      long segments = segmentFiles();
      assertTrue(segments > 5, "segments: " + segments);
      assertEquals(all(), numbers(broker.drain("first")));
      assertEquals(segments, segmentFiles(), "the second queue still refers to every segment");
      assertEquals(all(), numbers(broker.drain("second")));
      // The transient queue keeps whole copies: the store let these messages go.
      assertEquals(all(), numbers(broker.drain("transient")));
      awaitNoSegmentsBut(1);
    }
  }

  @Test
  void purgingAQueuePagedByReferenceReleasesItsSegments() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("purged", true, false, false, null);
      publishConfirmed(channel, "", "purged");
      assertEquals(MESSAGES, channel.queuePurge("purged").getMessageCount());
      awaitNoSegmentsBut(1);
    }
    try (StoredBroker broker = start()) {
      assertEquals(List.of(), broker.drain("purged"));
    }
  }

  @Test
  void aRecoveredBacklogIsPagedOutByReferenceToo() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("recovered", true, false, false, null);
      publishConfirmed(channel, "", "recovered");
    }
    try (StoredBroker broker = start()) {
      long pages = bytesIn("paging");
      assertTrue(pages > 0 && pages < bytesIn("messages") / 10, "pages: " + pages);
      List<GetResponse> drained = broker.drain("recovered");
      assertEquals(all(), numbers(drained));
      assertTrue(drained.get(MESSAGES - 1).getEnvelope().isRedeliver());
    }
  }

  /** Waits until the store deleted every settled segment: at most {@code left} remain. */
  private void awaitNoSegmentsBut(int left) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (segmentFiles() > left && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling the directory against a deadline
    }
    assertTrue(segmentFiles() <= left, "segments left: " + segmentFiles());
  }

  private long segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
      return files.filter(f -> f.toString().endsWith(".seg")).count();
    }
  }

  private long bytesIn(String directory) throws Exception {
    return DiskUsage.bytesIn(dataDir.resolve(directory));
  }
}
