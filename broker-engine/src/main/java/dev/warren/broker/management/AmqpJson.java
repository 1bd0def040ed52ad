package dev.warren.broker.management;

import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.RawLongString;
import dev.warren.broker.protocol.UnsignedInteger;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMQP values as the management API writes and reads them ({@code rabbit_mgmt_format}): field
 * tables become JSON objects (timestamps as seconds, byte arrays as text), message properties an
 * object of the properties that are set, payloads text or base64.
 */
public final class AmqpJson {
  private AmqpJson() {}

  /** A field-table value (arguments, headers) as JSON. */
  public static Object value(Object value) {
    if (value instanceof Map<?, ?> table) {
      Map<String, Object> json = new LinkedHashMap<>();
      table.forEach((k, v) -> json.put(String.valueOf(k), value(v)));
      return json;
    }
    if (value instanceof List<?> list) {
      List<Object> json = new ArrayList<>(list.size());
      list.forEach(v -> json.add(value(v)));
      return json;
    }
    if (value instanceof Object[] array) {
      return value(List.of(array));
    }
    if (value instanceof AmqpTimestamp timestamp) {
      return timestamp.epochSeconds();
    }
    if (value instanceof Instant instant) {
      return instant.getEpochSecond();
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof RawLongString raw) {
      return raw.text();
    }
    if (value instanceof UnsignedInteger number) {
      return number.longValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    return value;
  }

  /** A field table (arguments) as a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> table(Map<String, Object> table) {
    return table == null ? Map.of() : (Map<String, Object>) value(table);
  }

  /** The properties that are set, under RabbitMQ's names. */
  public static Map<String, Object> properties(BasicProperties p) {
    Map<String, Object> json = new LinkedHashMap<>();
    putIfSet(json, "content_type", p.contentType());
    putIfSet(json, "content_encoding", p.contentEncoding());
    putIfSet(json, "priority", p.priority());
    putIfSet(json, "correlation_id", p.correlationId());
    putIfSet(json, "reply_to", p.replyTo());
    putIfSet(json, "expiration", p.expiration());
    putIfSet(json, "message_id", p.messageId());
    putIfSet(json, "timestamp", p.timestamp() == null ? null : p.timestamp().epochSeconds());
    putIfSet(json, "type", p.type());
    putIfSet(json, "user_id", p.userId());
    putIfSet(json, "app_id", p.appId());
    putIfSet(json, "cluster_id", p.clusterId());
    putIfSet(json, "delivery_mode", p.deliveryMode());
    if (p.headers() != null) {
      json.put("headers", table(p.headers()));
    }
    return json;
  }

  /**
   * Message properties from a publish request's {@code properties} object.
   *
   * @throws ApiException 400 for a property of the wrong type or an unknown one
   */
  public static BasicProperties toProperties(Object json) {
    if (json == null) {
      return BasicProperties.EMPTY;
    }
    if (!(json instanceof Map<?, ?> map)) {
      throw ApiException.badRequest("properties must be an object");
    }
    for (Object key : map.keySet()) {
      if (!PROPERTY_NAMES.contains(String.valueOf(key))) {
        throw ApiException.badRequest("invalid property: " + key);
      }
    }
    return new BasicProperties(
        text(map, "content_type"),
        text(map, "content_encoding"),
        headers(map.get("headers")),
        integer(map, "delivery_mode"),
        integer(map, "priority"),
        text(map, "correlation_id"),
        text(map, "reply_to"),
        text(map, "expiration"),
        text(map, "message_id"),
        map.get("timestamp") == null ? null : new AmqpTimestamp(seconds(map.get("timestamp"))),
        text(map, "type"),
        text(map, "user_id"),
        text(map, "app_id"),
        text(map, "cluster_id"));
  }

  private static final List<String> PROPERTY_NAMES =
      List.of(
          "content_type",
          "content_encoding",
          "headers",
          "delivery_mode",
          "priority",
          "correlation_id",
          "reply_to",
          "expiration",
          "message_id",
          "timestamp",
          "type",
          "user_id",
          "app_id",
          "cluster_id");

  /**
   * A payload as the get endpoint shows it: text if it is UTF-8 and {@code encoding} is "auto",
   * else base64.
   *
   * @return the payload and its encoding ("string" or "base64")
   */
  public static String[] payload(byte[] body, String encoding) {
    if (encoding.equals("auto")) {
      try {
        String text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body))
                .toString();
        return new String[] {text, "string"};
      } catch (CharacterCodingException notText) {
        // falls through to base64
      }
    }
    return new String[] {Base64.getEncoder().encodeToString(body), "base64"};
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> headers(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?>)) {
      throw ApiException.badRequest("headers must be an object");
    }
    return (Map<String, Object>) value;
  }

  private static String text(Map<?, ?> map, String key) {
    Object value = map.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw ApiException.badRequest("property " + key + " must be a string");
  }

  private static Integer integer(Map<?, ?> map, String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Long number
        && number >= Integer.MIN_VALUE
        && number <= Integer.MAX_VALUE) {
      return number.intValue();
    }
    if (value instanceof String text) {
      try {
        return Integer.valueOf(text.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw ApiException.badRequest("property " + key + " must be an integer");
  }

  private static long seconds(Object value) {
    if (value instanceof Long seconds) {
      return seconds;
    }
    throw ApiException.badRequest("property timestamp must be an integer");
  }

  private static void putIfSet(Map<String, Object> json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
