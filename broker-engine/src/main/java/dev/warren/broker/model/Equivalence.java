package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.FieldValues;
import dev.warren.broker.protocol.RawLongString;
import dev.warren.broker.protocol.UnsignedInteger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RabbitMQ's redeclaration check ({@code rabbit_misc:assert_field_equivalence} and {@code
 * assert_args_equivalence}): a property or one of the semantically relevant arguments differs → 406
 * "inequivalent arg 'key' for queue 'q' in vhost '/': received X but current is Y".
 */
final class Equivalence {
  /** The queue arguments RabbitMQ compares on redeclaration; others are ignored. */
  static final List<String> QUEUE_ARGUMENTS =
      List.of(
          "x-expires",
          "x-message-ttl",
          "x-dead-letter-exchange",
          "x-dead-letter-routing-key",
          "x-max-length",
          "x-max-length-bytes",
          "x-max-in-memory-length",
          "x-max-in-memory-bytes",
          "x-max-priority",
          "x-overflow",
          "x-queue-mode",
          "x-queue-version",
          "x-single-active-consumer",
          "x-queue-type",
          "x-delivery-limit",
          "x-queue-leader-locator",
          "x-queue-master-locator");

  /** Exchanges only compare their alternate exchange, as RabbitMQ does. */
  static final List<String> EXCHANGE_ARGUMENTS = List.of("alternate-exchange");

  private Equivalence() {}

  /**
   * queue.declare of a queue that exists: RabbitMQ's strict check that the exclusive flag matches
   * the existing owner exactly (405), then durable, auto_delete and the compared arguments (406),
   * an absent x-queue-type counting as "classic".
   *
   * @param owner the declaring connection if the declaration is exclusive, else null
   */
  static void assertRedeclaration(
      String virtualHost, Queue existing, QueueDeclaration declaration, Object owner) {
    if (!Objects.equals(existing.exclusiveOwner(), owner)) {
      throw Rejections.exclusiveQueueLocked(virtualHost, existing.name());
    }
    String resource = Rejections.queue(virtualHost, existing.name());
    assertField(resource, "durable", existing.durable(), declaration.durable());
    assertField(resource, "auto_delete", existing.autoDelete(), declaration.autoDelete());
    assertArguments(
        resource,
        QUEUE_ARGUMENTS,
        withDefaultQueueType(existing.arguments()),
        withDefaultQueueType(declaration.arguments()));
  }

  private static Map<String, Object> withDefaultQueueType(Map<String, Object> arguments) {
    if (arguments.containsKey("x-queue-type")) {
      return arguments;
    }
    Map<String, Object> copy = new HashMap<>(arguments);
    copy.put("x-queue-type", "classic");
    return copy;
  }

  static void assertField(String resource, String key, Object current, Object received) {
    if (!Objects.equals(current, received)) {
      throw fail(resource, key, "'" + received + "'", "'" + current + "'");
    }
  }

  static void assertArguments(
      String resource,
      List<String> keys,
      Map<String, Object> current,
      Map<String, Object> received) {
    for (String key : keys) {
      Object have = current.get(key);
      Object want = received.get(key);
      boolean haveIt = current.containsKey(key);
      boolean wantIt = received.containsKey(key);
      if (haveIt == wantIt && (!haveIt || sameTypedValue(have, want))) {
        continue;
      }
      throw fail(resource, key, describe(wantIt, want), describe(haveIt, have));
    }
  }

  private static BrokerException fail(
      String resource, String key, String received, String current) {
    return BrokerException.preconditionFailed(
        "inequivalent arg '"
            + key
            + "' for "
            + resource
            + ": received "
            + received
            + " but current is "
            + current);
  }

  private static boolean sameTypedValue(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    String typeA = typeName(a);
    String typeB = typeName(b);
    if (FieldValues.isInteger(a) && FieldValues.isInteger(b)) {
      return ((Number) a).longValue() == ((Number) b).longValue();
    }
    if (!typeA.equals(typeB)) {
      return false;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  private static String describe(boolean present, Object value) {
    if (!present) {
      return "none";
    }
    Object shown = value instanceof byte[] bytes ? new String(bytes) : value;
    return "the value '" + shown + "' of type '" + typeName(value) + "'";
  }

  /** AMQP field-table type names as RabbitMQ prints them. */
  static String typeName(Object value) {
    if (value == null) {
      return "void";
    }
    if (value instanceof String || value instanceof byte[] || value instanceof RawLongString) {
      return "longstr";
    }
    if (value instanceof Integer) {
      return "signedint";
    }
    if (value instanceof Long) {
      return "long";
    }
    if (value instanceof Short) {
      return "short";
    }
    if (value instanceof Byte) {
      return "byte";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Double) {
      return "double";
    }
    if (value instanceof Float) {
      return "float";
    }
    if (value instanceof BigDecimal) {
      return "decimal";
    }
    if (value instanceof UnsignedInteger unsigned) {
      return switch (unsigned.type()) {
        case OCTET -> "unsignedbyte";
        case SHORT -> "unsignedshort";
        case INT -> "unsignedint";
      };
    }
    if (value instanceof AmqpTimestamp || value instanceof Instant || value instanceof Date) {
      return "timestamp";
    }
    if (value instanceof Map) {
      return "table";
    }
    if (value instanceof List) {
      return "array";
    }
    return value.getClass().getSimpleName();
  }
}
