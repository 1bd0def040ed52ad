package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues keep a bounded number of messages in memory and page the rest to disk, in order. */
class PagingTest {
  private static final int IN_MEMORY = 100;
  private static final int MESSAGES = 3_000;

  @TempDir Path dataDir;

  private StoredBroker start() throws Exception {
    return StoredBroker.start(dataDir, StoreConfig.defaults().withQueueMemoryMessages(IN_MEMORY));
  }

  private static byte[] body(int number) {
    byte[] body = new byte[512];
    ByteBuffer.wrap(body).putInt(number);
    return body;
  }

  private static int number(GetResponse response) {
    return ByteBuffer.wrap(response.getBody()).getInt();
  }

  @Test
  void aBacklogBeyondTheMemoryLimitIsPagedAndComesBackInOrder() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("paged", false, false, false, null);
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "paged", null, body(i));
      }
      assertEquals(MESSAGES, channel.queueDeclarePassive("paged").getMessageCount());
      assertTrue(pageBytes() > (MESSAGES - IN_MEMORY) * 512L, "pages: " + pageBytes());

      // Take a few, give them back: they return to the head, before everything paged.
      List<Long> tags = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        tags.add(channel.basicGet("paged", false).getEnvelope().getDeliveryTag());
      }
      channel.basicNack(tags.get(tags.size() - 1), true, true);

      List<GetResponse> all = broker.drain("paged");
      assertEquals(
          IntStream.range(0, MESSAGES).boxed().toList(),
          all.stream().map(PagingTest::number).toList());
      assertTrue(all.get(0).getEnvelope().isRedeliver());
      assertTrue(!all.get(5).getEnvelope().isRedeliver());
      assertEquals(0, pageBytes(), "read pages are deleted");
    }
  }

  @Test
  void purgingOrDeletingAPagedQueueDeletesItsPages() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("purged-paged", false, false, false, null);
      channel.queueDeclare("deleted-paged", true, false, false, null);
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "purged-paged", null, body(i));
        channel.basicPublish("", "deleted-paged", MessageProperties.PERSISTENT_BASIC, body(i));
      }
      assertEquals(MESSAGES, channel.queueDeclarePassive("deleted-paged").getMessageCount());
      assertTrue(pageBytes() > 0);
      assertEquals(MESSAGES, channel.queuePurge("purged-paged").getMessageCount());
      assertEquals(MESSAGES, channel.queueDelete("deleted-paged").getMessageCount());
      assertEquals(0, pageBytes());
      channel.basicPublish("", "purged-paged", null, body(7));
      assertEquals(
          List.of(7), broker.drain("purged-paged").stream().map(PagingTest::number).toList());
    }
  }

  @Test
  void pagedPersistentMessagesSurviveARestart() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("paged-durable", true, false, false, null);
      channel.confirmSelect();
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "paged-durable", MessageProperties.PERSISTENT_BASIC, body(i));
      }
      channel.waitForConfirmsOrDie(30_000);
    }
    try (StoredBroker broker = start()) {
      assertEquals(
          IntStream.range(0, MESSAGES).boxed().toList(),
          broker.drain("paged-durable").stream().map(PagingTest::number).toList());
    }
  }

  @Test
  void pagesThatCannotBeReadForAWhileAreReadLaterWithoutClosingTheConsumer() throws Exception {
    try (StoredBroker broker = start()) {
      Channel channel = broker.channel();
      channel.queueDeclare("unreadable", false, false, false, null);
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "unreadable", null, body(i));
      }
      assertEquals(MESSAGES, channel.queueDeclarePassive("unreadable").getMessageCount());
      Path paging = dataDir.resolve("paging");
      Path away = dataDir.resolve("paging-away");
      Files.move(paging, away); // every page read now fails

      List<Integer> received = new CopyOnWriteArrayList<>();
      AtomicReference<ShutdownSignalException> closed = new AtomicReference<>();
      Channel consumer = broker.channel();
      consumer.addShutdownListener(closed::set);
      consumer.basicConsume(
          "unreadable",
          true,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
              received.add(ByteBuffer.wrap(body).getInt());
            }
          });
      awaitCount(received, IN_MEMORY);
      assertEquals(
          MESSAGES - IN_MEMORY, channel.queueDeclarePassive("unreadable").getMessageCount());

      Files.move(away, paging); // readable again: the retry delivers the rest
      awaitCount(received, MESSAGES);
      assertEquals(IntStream.range(0, MESSAGES).boxed().toList(), received);
      assertEquals(null, closed.get());
    }
  }

  private static void awaitCount(List<Integer> received, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.size() < count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10); // polling a count against a deadline
    }
    assertEquals(count, received.size());
  }

  private long pageBytes() throws Exception {
    return DiskUsage.bytesIn(dataDir.resolve("paging"));
  }
}
