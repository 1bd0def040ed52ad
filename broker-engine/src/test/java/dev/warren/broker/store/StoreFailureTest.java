package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's disk fails under it: the message directory is replaced by a plain file, so the next
 * segment cannot be created. Publishers are nacked rather than left waiting, a transaction's commit
 * fails with 541, the broker keeps serving, and once the directory is back the store writes (and
 * recovers) again.
 */
class StoreFailureTest {
  private static final StoreConfig SMALL_SEGMENTS = StoreConfig.defaults().withSegmentBytes(8192);
  private static final byte[] BODY = new byte[1024];

  @TempDir Path dataDir;

  @Test
  void aFailedWriteNacksItsPublishesAndTheStoreRecoversOnceTheDiskDoes() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir, SMALL_SEGMENTS)) {
      Channel channel = broker.channel();
      channel.queueDeclare("kept", true, false, false, null);
      channel.confirmSelect();
      AtomicInteger nacks = new AtomicInteger();
      channel.addConfirmListener((tag, multiple) -> {}, (tag, multiple) -> nacks.incrementAndGet());
      publish(channel, "kept", 3);
      channel.waitForConfirmsOrDie(10_000);

      breakMessageDirectory();
      publish(channel, "kept", 20);

      // every publish is answered (no timeout), and those the store could not write are nacked
      assertFalse(channel.waitForConfirms(10_000), "some publish was nacked");
      assertTrue(nacks.get() > 0);
      Channel other = broker.channel();
      other.queueDeclare("transient", false, false, true, null);
      other.basicPublish("", "transient", null, "still served".getBytes(StandardCharsets.UTF_8));
      assertEquals("still served", StoredBroker.text(other.basicGet("transient", true)));
      Connection transactional = broker.newConnection();
      try {
        assertCommitFails(transactional);
      } finally {
        transactional.abort(); // the broker closed it
      }

      repairMessageDirectory();
      Channel repaired = broker.channel();
      repaired.queueDeclare("after-repair", true, false, false, null);
      repaired.confirmSelect();
      publish(repaired, "after-repair", 20);
      repaired.waitForConfirmsOrDie(10_000);
    }
    try (StoredBroker broker = StoredBroker.start(dataDir, SMALL_SEGMENTS)) {
      assertEquals(
          IntStream.range(0, 20).mapToObj(Integer::toString).toList(),
          broker.drain("after-repair").stream().map(r -> StoredBroker.text(r).trim()).toList());
    }
  }

  /** The commit's write fails, so commit-ok never comes: RabbitMQ's 541 closes the connection. */
  private static void assertCommitFails(Connection connection) throws Exception {
    Channel tx = connection.createChannel();
    tx.txSelect();
    tx.basicPublish("", "kept", MessageProperties.PERSISTENT_BASIC, BODY);
    IOException failure = assertThrows(IOException.class, tx::txCommit);
    ShutdownSignalException close = (ShutdownSignalException) failure.getCause();
    assertTrue(close.isHardError());
    AMQP.Connection.Close reason = (AMQP.Connection.Close) close.getReason();
    assertEquals(541, reason.getReplyCode());
    assertEquals(
        "INTERNAL_ERROR - the store could not write the transaction to disk",
        reason.getReplyText());
  }

  private static void publish(Channel channel, String queue, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      byte[] body = BODY.clone();
      byte[] number = (i + " ").getBytes(StandardCharsets.UTF_8);
      System.arraycopy(number, 0, body, 0, number.length);
      channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
    }
  }

  private void breakMessageDirectory() throws IOException {
    Path messages = dataDir.resolve("messages");
    try (Stream<Path> files = Files.walk(messages)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
    Files.writeString(messages, "not a directory");
  }

  private void repairMessageDirectory() throws IOException {
    Path messages = dataDir.resolve("messages");
    Files.delete(messages);
    Files.createDirectory(messages);
  }
}
