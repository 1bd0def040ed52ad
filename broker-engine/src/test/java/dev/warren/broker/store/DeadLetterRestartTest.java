package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extensions across a restart: dead letters are stored anew, TTLs keep running. */
class DeadLetterRestartTest {
  @TempDir Path dataDir;

  @Test
  void aPersistentDeadLetterInADurableQueueSurvivesARestart() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("dead", true, false, false, null);
      channel.queueDeclare(
          "work",
          true,
          false,
          false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"));
      channel.confirmSelect();
      channel.basicPublish(
          "",
          "work",
          MessageProperties.PERSISTENT_BASIC,
          "doomed".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(10_000);
      GetResponse delivered = channel.basicGet("work", false);
      channel.basicReject(delivered.getEnvelope().getDeliveryTag(), false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (channel.queueDeclarePassive("dead").getMessageCount() == 0
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      assertEquals(1, channel.queueDeclarePassive("dead").getMessageCount());
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertEquals(List.of(), broker.drain("work"));
      List<GetResponse> dead = broker.drain("dead");
      assertEquals(List.of("doomed"), dead.stream().map(StoredBroker::text).toList());
      assertTrue(dead.get(0).getProps().getHeaders().containsKey("x-death"));
    }
  }

  /**
   * The stored x-death is still the broker's after a restart: a further death adds to it (a
   * publisher's own x-death would be replaced instead).
   */
  @Test
  void aRecoveredDeadLetterKeepsCountingInItsHistory() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare(
          "again",
          true,
          false,
          false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "again"));
      channel.confirmSelect();
      channel.basicPublish(
          "",
          "again",
          MessageProperties.PERSISTENT_BASIC,
          "twice".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(10_000);
      channel.basicReject(channel.basicGet("again", false).getEnvelope().getDeliveryTag(), false);
      awaitOneMessage(channel, "again");
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      GetResponse recovered = channel.basicGet("again", false);
      assertEquals(1L, countOf(recovered));
      channel.basicReject(recovered.getEnvelope().getDeliveryTag(), false);
      awaitOneMessage(channel, "again");

      GetResponse twice = channel.basicGet("again", true);
      assertEquals(2L, countOf(twice));
      assertEquals(1, ((List<?>) twice.getProps().getHeaders().get("x-death")).size());
    }
  }

  private static long countOf(GetResponse response) {
    List<?> deaths = (List<?>) response.getProps().getHeaders().get("x-death");
    return (Long) ((Map<?, ?>) deaths.get(0)).get("count");
  }

  private static void awaitOneMessage(Channel channel, String queue) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (channel.queueDeclarePassive(queue).getMessageCount() == 0
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    assertEquals(1, channel.queueDeclarePassive(queue).getMessageCount());
  }

  @Test
  void aRecoveredMessageStillExpires() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("ttl", true, false, false, Map.of("x-message-ttl", 4000));
      channel.confirmSelect();
      channel.basicPublish(
          "", "ttl", MessageProperties.PERSISTENT_BASIC, "short".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(10_000);
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      assertEquals(1, channel.queueDeclarePassive("ttl").getMessageCount());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (channel.queueDeclarePassive("ttl").getMessageCount() > 0
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      assertEquals(0, channel.queueDeclarePassive("ttl").getMessageCount());
    }
  }
}
