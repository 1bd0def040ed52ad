package dev.warren.broker.model;

import dev.warren.broker.protocol.RawLongString;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The RabbitMQ extension arguments of a queue, parsed once at declaration (after {@link
 * QueueArgumentValidator} accepted them). Absent values are null.
 */
public record QueueArguments(
    Long messageTtl,
    Long expires,
    Long maxLength,
    Long maxLengthBytes,
    String overflow,
    String deadLetterExchange,
    String deadLetterRoutingKey,
    Integer maxPriority,
    boolean singleActiveConsumer,
    Long deliveryLimit) {

  public static QueueArguments parse(Map<String, Object> arguments) {
    return new QueueArguments(
        longArg(arguments, "x-message-ttl"),
        longArg(arguments, "x-expires"),
        longArg(arguments, "x-max-length"),
        longArg(arguments, "x-max-length-bytes"),
        textValue(arguments.get("x-overflow")),
        textValue(arguments.get("x-dead-letter-exchange")),
        textValue(arguments.get("x-dead-letter-routing-key")),
        intArg(arguments, "x-max-priority"),
        Boolean.TRUE.equals(arguments.get("x-single-active-consumer")),
        longArg(arguments, "x-delivery-limit"));
  }

  /** Priority levels are only kept for x-max-priority 1..255; 0 is an ordinary queue. */
  boolean prioritised() {
    return maxPriority != null && maxPriority > 0;
  }

  private static Long longArg(Map<String, Object> arguments, String key) {
    return arguments.get(key) instanceof Number number ? number.longValue() : null;
  }

  private static Integer intArg(Map<String, Object> arguments, String key) {
    return arguments.get(key) instanceof Number number ? number.intValue() : null;
  }

  /** A longstr value as text (decoders may hand over bytes), or null if it is not one. */
  static String textValue(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof RawLongString raw) {
      return raw.text();
    }
    return value instanceof String text ? text : null;
  }
}
