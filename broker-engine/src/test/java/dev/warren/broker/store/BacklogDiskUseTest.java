package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.testsupport.RabbitMqNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent backlog larger than a queue keeps in memory takes about the disk RabbitMQ takes for
 * it: each message is on disk once (its segment record; the pages refer to it). The same backlog of
 * 1 KB persistent messages goes into a durable queue of Warren and of a RabbitMQ node, and the
 * growth of their data directories is compared. {@code -Dwarren.diskuse.messages=N} sets the size
 * of the backlog (20,000 by default).
 */
class BacklogDiskUseTest {
  private static final System.Logger LOG = System.getLogger(BacklogDiskUseTest.class.getName());
  private static final int SIZE = 1024;
  private static final int MESSAGES = Integer.getInteger("warren.diskuse.messages", 20_000);

  @TempDir Path dataDir;

  @Test
  void aPersistentBacklogTakesAboutTheDiskRabbitMqTakes() throws Exception {
    long rabbitMq;
    try (RabbitMqNode node = RabbitMqNode.start()) {
      Path mnesia = Path.of(node.environment().get("RABBITMQ_MNESIA_BASE"));
      rabbitMq = growth(node.amqpPort(), mnesia);
    }
    long warren;
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      warren = growth(broker.port(), dataDir);
    }
    double ratio = (double) warren / rabbitMq;
    LOG.log(
        System.Logger.Level.INFO,
        String.format(
            "Disk use of %,d x 1 KB persistent messages in one queue: Warren %,d bytes,"
                + " RabbitMQ %,d bytes (%.2fx)",
            MESSAGES, warren, rabbitMq, ratio));
    assertTrue(warren > (long) MESSAGES * SIZE, "every message is on disk: " + warren);
    assertTrue(ratio < 1.25, String.format("Warren uses %.2fx RabbitMQ's disk", ratio));
  }

  /** Publishes the backlog (with confirms) and returns how much the directory grew. */
  private static long growth(int port, Path directory) throws Exception {
    long before = bytesIn(directory);
    try (Connection connection = StoredBroker.factory(port).newConnection()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("backlog", true, false, false, null);
      channel.confirmSelect();
      byte[] body = new byte[SIZE];
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "backlog", MessageProperties.PERSISTENT_BASIC, body);
        if ((i + 1) % 1_000 == 0) {
          channel.waitForConfirmsOrDie(60_000);
        }
      }
      channel.waitForConfirmsOrDie(60_000);
      assertEquals(MESSAGES, channel.queueDeclarePassive("backlog").getMessageCount());
      return bytesIn(directory) - before;
    }
  }

  private static long bytesIn(Path directory) throws IOException {
    return DiskUsage.bytesIn(directory);
  }
}
