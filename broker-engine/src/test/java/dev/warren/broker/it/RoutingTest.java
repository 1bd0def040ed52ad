package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which queues a published message reaches, for each exchange type. */
class RoutingTest extends ClientTestBase {

  @Test
  void defaultExchangeRoutesByQueueName() throws IOException {
    String queue = serverNamedQueue();

    publish("", queue, "by name");

    assertEquals("by name", awaitBody(queue));
  }

  @Test
  void defaultExchangeDropsMessageForUnknownQueue() throws IOException {
    String queue = serverNamedQueue();

    publish("", unique("no-such-queue"), "dropped");

    assertStaysEmpty(queue);
  }

  @Test
  void directExchangeRoutesOnlyExactKeys() throws IOException {
    String exchange = declare(BuiltinExchangeType.DIRECT);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "key");

    publish(exchange, "key.suffix", "prefix is not enough");
    publish(exchange, "KEY", "case matters");
    publish(exchange, "key", "exact");

    assertEquals("exact", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void directExchangeDeliversToEveryQueueBoundWithTheKey() throws IOException {
    String exchange = declare(BuiltinExchangeType.DIRECT);
    String first = serverNamedQueue();
    String second = serverNamedQueue();
    String other = serverNamedQueue();
    channel.queueBind(first, exchange, "shared");
    channel.queueBind(second, exchange, "shared");
    channel.queueBind(other, exchange, "other");

    publish(exchange, "shared", "to both");

    assertEquals("to both", awaitBody(first));
    assertEquals("to both", awaitBody(second));
    assertStaysEmpty(other);
  }

  @Test
  void queueBoundWithSeveralKeysReceivesEachOnce() throws IOException {
    String exchange = declare(BuiltinExchangeType.DIRECT);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "info");
    channel.queueBind(queue, exchange, "error");

    publish(exchange, "info", "i");
    publish(exchange, "error", "e");
    publish(exchange, "debug", "d");

    assertEquals("i", awaitBody(queue));
    assertEquals("e", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void fanoutExchangeIgnoresRoutingKey() throws IOException {
    String exchange = declare(BuiltinExchangeType.FANOUT);
    String first = serverNamedQueue();
    String second = serverNamedQueue();
    channel.queueBind(first, exchange, "ignored");
    channel.queueBind(second, exchange, "");

    publish(exchange, "anything", "broadcast");

    assertEquals("broadcast", awaitBody(first));
    assertEquals("broadcast", awaitBody(second));
  }

  @ParameterizedTest(name = "pattern ''{0}'' with key ''{1}'' routes: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a.b.c   | a.b.c       | true",
        "a.b     | a.bc        | false",
        "a.*.c   | a.b.c       | true",
        "a.*.c   | a.c         | false",
        "a.*.c   | a.b.b.c     | false",
        "*.*     | a.b         | true",
        "*.*     | a           | false",
        "#       | a.b.c       | true",
        "#       | ''          | true",
        "a.#     | a           | true",
        "a.#     | a.b.c       | true",
        "a.#     | b.a         | false",
        "#.c     | c           | true",
        "#.c     | a.b.c       | true",
        "#.c     | a.c.d       | false",
        "a.#.b   | a.b         | true",
        "a.#.b   | a.x.y.b     | true",
        "a.#.b   | a.x.b.c     | false",
        "*.b.#   | x.b         | true",
        "*.b.#   | x.b.y.z     | true",
        "*.b.#   | b           | false",
        "#.#     | a           | true",
        "a.#.#.b | a.b         | true",
        "#.*.#   | a           | true",
      })
  void topicExchangeMatchesPatternsWordByWord(String pattern, String key, boolean routes)
      throws IOException {
    String exchange = declare(BuiltinExchangeType.TOPIC);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, pattern);

    publish(exchange, key, "topic");

    if (routes) {
      assertEquals("topic", awaitBody(queue));
    } else {
      assertStaysEmpty(queue);
    }
  }

  @Test
  void topicExchangeWithManyBindingsRoutesToExactlyTheMatchingQueues() throws IOException {
    String exchange = declare(BuiltinExchangeType.TOPIC);
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String queue = serverNamedQueue();
      channel.queueBind(queue, exchange, "region." + i + ".#");
      channel.queueBind(queue, exchange, "*.all");
      queues.add(queue);
    }

    publish(exchange, "region.7.orders.created", "only seven");
    publish(exchange, "broadcast.all", "everyone");

    for (int i = 0; i < queues.size(); i++) {
      if (i == 7) {
        assertEquals("only seven", awaitBody(queues.get(i)));
      }
      assertEquals("everyone", awaitBody(queues.get(i)));
    }
    assertStaysEmpty(queues.get(0));
    assertStaysEmpty(queues.get(7));
  }

  @Test
  void headersExchangeWithMatchAllNeedsEveryBoundHeader() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("x-match", "all", "format", "pdf", "type", "r"));

    publishWithHeaders(exchange, Map.of("format", "pdf"), "only one header");
    publishWithHeaders(exchange, Map.of("format", "pdf", "type", "x"), "wrong value");
    publishWithHeaders(exchange, Map.of("format", "pdf", "type", "r", "extra", 1), "all");

    assertEquals("all", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeMatchesAllWhenXMatchIsAbsent() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("format", "pdf", "type", "r"));

    publishWithHeaders(exchange, Map.of("format", "pdf"), "one of two");
    publishWithHeaders(exchange, Map.of("format", "pdf", "type", "r"), "both");

    assertEquals("both", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeWithMatchAnyNeedsOneBoundHeader() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("x-match", "any", "format", "pdf", "type", "r"));

    publishWithHeaders(exchange, Map.of("format", "zip", "type", "x"), "none");
    publishWithHeaders(exchange, Map.of("type", "r"), "one");
    publishWithHeaders(exchange, Map.of(), "no headers");

    assertEquals("one", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeIgnoresXPrefixedBindingArgumentsForPlainAllAndAny() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("x-match", "any", "x-tag", "t", "kind", "k"));

    publishWithHeaders(exchange, Map.of("x-tag", "t"), "only the x- header");
    publishWithHeaders(exchange, Map.of("kind", "k"), "kind");

    assertEquals("kind", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeWithAnyWithXMatchesXPrefixedHeaders() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("x-match", "any-with-x", "x-tag", "t"));

    publishWithHeaders(exchange, Map.of("x-tag", "other"), "wrong value");
    publishWithHeaders(exchange, Map.of("x-tag", "t"), "x header");

    assertEquals("x header", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeWithAllWithXNeedsXPrefixedHeadersToo() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(
        queue, exchange, "", Map.of("x-match", "all-with-x", "x-tag", "t", "kind", "k"));

    publishWithHeaders(exchange, Map.of("kind", "k"), "missing x header");
    publishWithHeaders(exchange, Map.of("kind", "k", "x-tag", "t"), "both");

    assertEquals("both", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeComparesValuesWithTheirType() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("x-match", "all", "n", 1));

    publishWithHeaders(exchange, Map.of("n", "1"), "string one");
    publishWithHeaders(exchange, Map.of("n", 2), "two");
    publishWithHeaders(exchange, Map.of("n", 1), "int one");

    assertEquals("int one", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersBindingWithVoidValueMatchesOnPresenceOfTheHeader() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    Map<String, Object> binding = new HashMap<>();
    binding.put("x-match", "all");
    binding.put("flag", null);
    channel.queueBind(queue, exchange, "", binding);

    publishWithHeaders(exchange, Map.of("other", "x"), "absent");
    publishWithHeaders(exchange, Map.of("flag", "whatever"), "present");

    assertEquals("present", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void headersExchangeIgnoresRoutingKey() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "bound-key", Map.of("a", "1"));

    channel.basicPublish(
        exchange,
        "some-other-key",
        new AMQP.BasicProperties.Builder().headers(Map.of("a", "1")).build(),
        bytes("headers only"));

    assertEquals("headers only", awaitBody(queue));
  }

  @Test
  void unbindStopsRouting() throws IOException {
    String exchange = declare(BuiltinExchangeType.DIRECT);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "k");
    // a second binding keeps the auto-delete exchange alive after the unbind
    channel.queueBind(serverNamedQueue(), exchange, "keeper");
    publish(exchange, "k", "before");
    assertEquals("before", awaitBody(queue));

    channel.queueUnbind(queue, exchange, "k");
    publish(exchange, "k", "after");

    assertStaysEmpty(queue);
  }

  @Test
  void unbindOfUnknownBindingSucceeds() throws IOException {
    String queue = serverNamedQueue();

    channel.queueUnbind(queue, "amq.direct", "never-bound");

    publish("", queue, "channel still works");
    assertEquals("channel still works", awaitBody(queue));
  }

  @Test
  void unbindOfMissingQueueSucceeds() throws IOException {
    // RabbitMQ made queue.unbind idempotent, even when the queue does not exist
    channel.queueUnbind(unique("missing"), "amq.direct", "k");

    assertTrue(channel.isOpen());
  }

  @Test
  void headersExchangeTreatsIntAndLongOfSameValueAsEqual() throws IOException {
    String exchange = declare(BuiltinExchangeType.HEADERS);
    String queue = serverNamedQueue();
    channel.queueBind(queue, exchange, "", Map.of("x-match", "all", "n", 1));

    publishWithHeaders(exchange, Map.of("n", 1L), "long one");

    assertEquals("long one", awaitBody(queue));
  }

  @Test
  void predeclaredTopicExchangeRoutes() throws IOException {
    String queue = serverNamedQueue();
    channel.queueBind(queue, "amq.topic", queue + ".#");

    publish("amq.topic", queue + ".x.y", "amq.topic");

    assertEquals("amq.topic", awaitBody(queue));
  }

  private String declare(BuiltinExchangeType type) throws IOException {
    String exchange = unique(type.getType());
    channel.exchangeDeclare(exchange, type, false, true, null);
    return exchange;
  }

  private void publishWithHeaders(String exchange, Map<String, Object> headers, String body)
      throws IOException {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers).build();
    channel.basicPublish(exchange, "", properties, bytes(body));
  }
}
