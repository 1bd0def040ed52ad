package dev.warren.broker.model;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The RabbitMQ extension arguments of a queue, parsed once at declaration. Nothing enforces them
 * yet; they are the seam for TTL, dead-lettering, length limits, priorities and single active
 * consumer. Absent or ill-typed values are null.
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
    boolean singleActiveConsumer) {

  public static QueueArguments parse(Map<String, Object> arguments) {
    return new QueueArguments(
        longArg(arguments, "x-message-ttl"),
        longArg(arguments, "x-expires"),
        longArg(arguments, "x-max-length"),
        longArg(arguments, "x-max-length-bytes"),
        textArg(arguments, "x-overflow"),
        textArg(arguments, "x-dead-letter-exchange"),
        textArg(arguments, "x-dead-letter-routing-key"),
        intArg(arguments, "x-max-priority"),
        Boolean.TRUE.equals(arguments.get("x-single-active-consumer")));
  }

  private static Long longArg(Map<String, Object> arguments, String key) {
    return arguments.get(key) instanceof Number number ? number.longValue() : null;
  }

  private static Integer intArg(Map<String, Object> arguments, String key) {
    return arguments.get(key) instanceof Number number ? number.intValue() : null;
  }

  private static String textArg(Map<String, Object> arguments, String key) {
    Object value = arguments.get(key);
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return value instanceof String text ? text : null;
  }
}
