package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies of every size and every property and header type survive a trip through the broker. */
class MessageContentTest extends ClientTestBase {

  @Test
  void emptyBodyRoundTrips() throws IOException {
    String queue = serverNamedQueue();

    channel.basicPublish("", queue, null, new byte[0]);

    assertEquals(0, awaitGet(queue).getBody().length);
  }

  @Test
  void everyByteValueRoundTrips() throws IOException {
    String queue = serverNamedQueue();
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }

    channel.basicPublish("", queue, null, body);

    assertArrayEquals(body, awaitGet(queue).getBody());
  }

  /** Sizes around the default frame-max of 131072 (frame overhead is 8 bytes) and large ones. */
  @ParameterizedTest
  @ValueSource(ints = {131063, 131064, 131065, 131072, 262128, 1024 * 1024, 5 * 1024 * 1024})
  void bodySplitIntoManyFramesIsReassembledExactly(int size) throws Exception {
    String queue = serverNamedQueue();
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);

    channel.basicPublish("", queue, null, body);

    assertArrayEquals(body, awaitGet(queue).getBody());
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicPublish("", queue, null, body);
    channel.basicConsume(queue, true, consumer);
    assertArrayEquals(body, consumer.next().getBody());
  }

  @Test
  void messageWithoutPropertiesArrivesWithoutProperties() throws IOException {
    String queue = serverNamedQueue();

    channel.basicPublish("", queue, null, bytes("bare"));

    AMQP.BasicProperties received = awaitGet(queue).getProps();
    assertNull(received.getContentType());
    assertNull(received.getHeaders());
    assertNull(received.getDeliveryMode());
    assertNull(received.getPriority());
    assertNull(received.getMessageId());
    assertNull(received.getTimestamp());
  }

  @Test
  void allFourteenPropertiesRoundTrip() throws IOException {
    String queue = serverNamedQueue();
    // AMQP timestamps have whole-second precision
    Date timestamp = new Date(1_700_000_000_000L);
    AMQP.BasicProperties sent =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("gzip")
            .headers(Map.of("h", "v"))
            .deliveryMode(2)
            .priority(7)
            .correlationId("corr-1")
            .replyTo("reply-queue")
            .expiration("600000")
            .messageId("msg-1")
            .timestamp(timestamp)
            .type("order.created")
            .userId("guest")
            .appId("warren-tests")
            .clusterId("cluster-a")
            .build();

    channel.basicPublish("", queue, sent, bytes("{}"));

    AMQP.BasicProperties received = awaitGet(queue).getProps();
    assertEquals("application/json", received.getContentType());
    assertEquals("gzip", received.getContentEncoding());
    assertEquals("v", received.getHeaders().get("h").toString());
    assertEquals(2, received.getDeliveryMode());
    assertEquals(7, received.getPriority());
    assertEquals("corr-1", received.getCorrelationId());
    assertEquals("reply-queue", received.getReplyTo());
    assertEquals("600000", received.getExpiration());
    assertEquals("msg-1", received.getMessageId());
    assertEquals(timestamp, received.getTimestamp());
    assertEquals("order.created", received.getType());
    assertEquals("guest", received.getUserId());
    assertEquals("warren-tests", received.getAppId());
    assertEquals("cluster-a", received.getClusterId());
  }

  @Test
  void propertiesReachConsumersAsWellAsGet() throws Exception {
    String queue = serverNamedQueue();
    RecordingConsumer consumer = new RecordingConsumer(channel);
    channel.basicConsume(queue, true, consumer);

    channel.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder().correlationId("c").replyTo("r").build(),
        bytes("rpc"));

    AMQP.BasicProperties received = consumer.next().getProperties();
    assertEquals("c", received.getCorrelationId());
    assertEquals("r", received.getReplyTo());
  }

  @Test
  void everyHeaderValueTypeRoundTrips() throws IOException {
    String queue = serverNamedQueue();
    byte[] bytes = {0, 1, (byte) 0xff};
    Date date = new Date(1_600_000_000_000L);
    Map<String, Object> nested = new HashMap<>();
    nested.put("inner", "deep");
    nested.put("number", 3);
    nested.put("list", List.of(1, "two"));
    Map<String, Object> headers = new HashMap<>();
    headers.put("string", "text é ü");
    headers.put("longString", LongStringHelper.asLongString("long string"));
    headers.put("int", 42);
    headers.put("negativeInt", -42);
    headers.put("long", 1L << 40);
    headers.put("short", (short) 12);
    headers.put("byte", (byte) -3);
    headers.put("double", 2.5d);
    headers.put("float", 1.25f);
    headers.put("decimal", new BigDecimal("123.45"));
    headers.put("date", date);
    headers.put("true", true);
    headers.put("false", false);
    headers.put("bytes", bytes);
    headers.put("list", List.of("a", 1, true, List.of(2L)));
    headers.put("map", nested);
    headers.put("void", null);

    channel.basicPublish(
        "", queue, new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("h"));

    Map<String, Object> received = awaitGet(queue).getProps().getHeaders();
    assertEquals(headers.keySet(), received.keySet());
    assertLongString("text é ü", received.get("string"));
    assertLongString("long string", received.get("longString"));
    assertEquals(42, received.get("int"));
    assertEquals(-42, received.get("negativeInt"));
    assertEquals(1L << 40, received.get("long"));
    assertEquals((short) 12, received.get("short"));
    assertEquals((byte) -3, received.get("byte"));
    assertEquals(2.5d, received.get("double"));
    assertEquals(1.25f, received.get("float"));
    assertEquals(new BigDecimal("123.45"), received.get("decimal"));
    assertEquals(date, received.get("date"));
    assertEquals(true, received.get("true"));
    assertEquals(false, received.get("false"));
    assertArrayEquals(bytes, (byte[]) received.get("bytes"));
    assertNull(received.get("void"));

    List<?> list = assertInstanceOf(List.class, received.get("list"));
    assertEquals(4, list.size());
    assertLongString("a", list.get(0));
    assertEquals(1, list.get(1));
    assertEquals(true, list.get(2));
    assertEquals(List.of(2L), list.get(3));

    Map<?, ?> map = assertInstanceOf(Map.class, received.get("map"));
    assertEquals(3, map.size());
    assertLongString("deep", map.get("inner"));
    assertEquals(3, map.get("number"));
    List<?> nestedList = assertInstanceOf(List.class, map.get("list"));
    assertEquals(1, nestedList.get(0));
    assertLongString("two", nestedList.get(1));
  }

  @Test
  void persistentMessageInDurableQueueRoundTrips() throws IOException {
    String queue = unique("durable");
    channel.queueDeclare(queue, true, false, false, null);

    channel.basicPublish(
        "", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), bytes("kept"));

    GetResponse response = awaitGet(queue);
    assertEquals("kept", text(response.getBody()));
    assertEquals(2, response.getProps().getDeliveryMode());
    channel.queueDelete(queue);
  }

  @Test
  void routingKeyOfMaximumLengthIsDelivered() throws IOException {
    String queue = serverNamedQueue();
    String key = "k".repeat(255);
    channel.queueBind(queue, "amq.direct", key);

    publish("amq.direct", key, "long key");

    GetResponse response = awaitGet(queue);
    assertEquals(key, response.getEnvelope().getRoutingKey());
    assertEquals("amq.direct", response.getEnvelope().getExchange());
  }

  private static void assertLongString(String expected, Object actual) {
    assertTrue(actual instanceof LongString, () -> "expected a LongString, got " + actual);
    assertEquals(expected, actual.toString());
  }
}
