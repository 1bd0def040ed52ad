package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import dev.warren.broker.it.ClientTestBase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The x-death history as RabbitMQ 4.0 keeps it (the Java client's XDeathHeaderGrowth and
 * DeadLetterExchange.republish): one entry per queue and reason with a growing count, and a
 * publisher's own x-death header never read: a republished message starts a new history.
 */
class DeathHistoryTest extends ClientTestBase {

  /** Three expiring hops, then a queue whose consumer rejects nine times before acking. */
  @Test
  void theHistoryHasOneEntryPerQueueAndReasonWithItsCount() throws Exception {
    String prefix = unique("death");

    List<Map<String, Object>> events =
        DeathScenarios.threeHopsThenNineRejects(connection, prefix, TIMEOUT.multipliedBy(2));

    assertEquals(4, events.size(), events::toString);
    List<String> queues = List.of("-q1", "-q2", "-q3", "-qz");
    assertEquals(queues.stream().map(q -> prefix + q).toList(), sorted(field(events, "queue")));
    assertEquals(List.of("1", "1", "1", "9"), sorted(field(events, "count")));
  }

  /**
   * A publisher's x-death (here twelve entries an older broker might have left, four per queue) is
   * replaced by the broker's own history at the first death; RabbitMQ before 3.13 merged them.
   */
  @Test
  void aPublishersOwnXDeathIsReplacedNotMerged() throws Exception {
    String x1 = fanout();
    String x2 = fanout();
    String q1 = DeathScenarios.deadLettering(channel, unique("q1"), x1, true);
    String q2 = DeathScenarios.deadLettering(channel, unique("q2"), x2, true);
    channel.queueBind(q2, x1, "");
    String last = DeathScenarios.deadLettering(channel, unique("qz"), x2, false);
    channel.queueBind(last, x2, "");
    List<Object> legacy = new ArrayList<>();
    for (String queue : List.of("q97", "q97", "q97", "q98", "q99")) {
      for (int i = 0; i < 4; i++) {
        legacy.add(
            Map.of(
                "reason",
                "expired",
                "queue",
                queue,
                "exchange",
                "fanout0",
                "routing-keys",
                List.of("rk1", "rk2"),
                "random",
                UUID.randomUUID().toString()));
      }
    }
    channel.basicPublish(
        "",
        q1,
        new AMQP.BasicProperties.Builder().headers(Map.of("x-death", legacy)).build(),
        bytes("msg"));

    List<Map<String, Object>> events =
        DeathScenarios.rejectNineTimesThenAck(connection, last, TIMEOUT.multipliedBy(2));
    assertEquals(3, events.size(), events::toString);
    assertEquals(sorted(List.of(last, q1, q2)), sorted(field(events, "queue")));
    assertEquals(List.of("1", "1", "9"), sorted(field(events, "count")));
  }

  /** Republishing a dead letter with its headers does not continue its history (4.0). */
  @Test
  void aRepublishedDeadLetterStartsANewHistory() throws Exception {
    String dlx = fanout();
    String dead = namedQueue("dead");
    channel.queueBind(dead, dlx, "");
    String source = unique("source");
    channel.queueDeclare(source, false, false, true, Map.of("x-dead-letter-exchange", dlx));
    publish("", source, "once");
    channel.basicReject(awaitGet(channel, source, false).getEnvelope().getDeliveryTag(), false);
    Map<String, Object> headers = awaitGet(dead).getProps().getHeaders();
    assertEquals(1, deaths(headers).size());

    String full = unique("full");
    channel.queueDeclare(
        full, false, false, true, Map.of("x-dead-letter-exchange", dlx, "x-max-length", 0));
    channel.basicPublish(
        "", full, new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("again"));

    Map<String, Object> again = awaitGet(dead).getProps().getHeaders();
    List<Map<String, Object>> history = deaths(again);
    assertEquals(1, history.size(), history::toString);
    assertEquals("maxlen", history.get(0).get("reason").toString());
    assertEquals(full, history.get(0).get("queue").toString());
    assertEquals(1L, history.get(0).get("count"));
    assertEquals("maxlen", again.get("x-first-death-reason").toString());
    assertEquals(full, again.get("x-last-death-queue").toString());
  }

  private String fanout() throws IOException {
    String exchange = unique("death-fanout");
    channel.exchangeDeclare(exchange, "fanout", false, true, null);
    return exchange;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> deaths(Map<String, Object> headers) {
    return (List<Map<String, Object>>) headers.get("x-death");
  }

  private static List<String> field(List<Map<String, Object>> events, String name) {
    return events.stream().map(event -> String.valueOf(event.get(name))).toList();
  }

  private static List<String> sorted(List<String> values) {
    return values.stream().sorted().toList();
  }
}
