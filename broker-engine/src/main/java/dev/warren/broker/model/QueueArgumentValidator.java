package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.FieldValues;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RabbitMQ's checks of queue and consume arguments ({@code rabbit_amqqueue:declare_args} and {@code
 * consume_args}): a wrong type or range is 406 "invalid arg 'key' for queue 'q' in vhost '/':
 * reason", the reason printed as the Erlang term RabbitMQ prints.
 */
final class QueueArgumentValidator {
  /** RabbitMQ's ?MAX_EXPIRY_TIMER: the largest TTL its timers accept. */
  static final long MAX_EXPIRY = 4294967295L;

  static final int MAX_PRIORITY = 255;

  private static final Set<String> OVERFLOW_MODES =
      Set.of("drop-head", "reject-publish", "reject-publish-dlx");

  private QueueArgumentValidator() {}

  @FunctionalInterface
  private interface Check {
    /** Returns null if the value is acceptable, else RabbitMQ's error term. */
    String error(Object value, Map<String, Object> arguments);
  }

  private record Rule(String key, Check check) {}

  private static final List<Rule> QUEUE_RULES =
      List.of(
          new Rule("x-expires", (v, a) -> positiveInt(v, MAX_EXPIRY)),
          new Rule("x-message-ttl", (v, a) -> nonNegativeInt(v, MAX_EXPIRY)),
          new Rule("x-dead-letter-exchange", (v, a) -> text(v)),
          new Rule("x-dead-letter-routing-key", QueueArgumentValidator::deadLetterRoutingKey),
          new Rule("x-max-length", (v, a) -> nonNegativeInt(v, Long.MAX_VALUE)),
          new Rule("x-max-length-bytes", (v, a) -> nonNegativeInt(v, Long.MAX_VALUE)),
          new Rule("x-max-priority", (v, a) -> nonNegativeInt(v, MAX_PRIORITY)),
          new Rule("x-overflow", (v, a) -> overflow(v)),
          new Rule("x-single-active-consumer", (v, a) -> bool(v)),
          new Rule("x-delivery-limit", (v, a) -> nonNegativeInt(v, Long.MAX_VALUE)),
          new Rule("x-quorum-initial-group-size", (v, a) -> positiveInt(v, Long.MAX_VALUE)));

  private static final List<Rule> CONSUME_RULES =
      List.of(new Rule("x-priority", (v, a) -> integer(v)));

  static void validateQueue(String resource, Map<String, Object> arguments) {
    validate(resource, arguments, QUEUE_RULES);
  }

  static void validateConsume(String resource, Map<String, Object> arguments) {
    validate(resource, arguments, CONSUME_RULES);
  }

  private static void validate(String resource, Map<String, Object> arguments, List<Rule> rules) {
    if (arguments == null || arguments.isEmpty()) {
      return;
    }
    for (Rule rule : rules) {
      if (!arguments.containsKey(rule.key())) {
        continue;
      }
      String error = rule.check().error(arguments.get(rule.key()), arguments);
      if (error != null) {
        throw BrokerException.preconditionFailed(
            "invalid arg '" + rule.key() + "' for " + resource + ": " + error);
      }
    }
  }

  private static String integer(Object value) {
    return FieldValues.isInteger(value) ? null : unacceptableType(value);
  }

  private static String nonNegativeInt(Object value, long max) {
    if (!FieldValues.isInteger(value)) {
      return unacceptableType(value);
    }
    long number = ((Number) value).longValue();
    if (number < 0) {
      return "{value_negative," + number + "}";
    }
    return number > max ? "{value_too_large," + number + "," + max + "}" : null;
  }

  private static String positiveInt(Object value, long max) {
    if (FieldValues.isInteger(value) && ((Number) value).longValue() == 0) {
      return "{value_zero,0}";
    }
    return nonNegativeInt(value, max);
  }

  private static String text(Object value) {
    return QueueArguments.textValue(value) != null ? null : unacceptableType(value);
  }

  private static String bool(Object value) {
    return value instanceof Boolean ? null : unacceptableType(value);
  }

  private static String overflow(Object value) {
    String error = text(value);
    if (error != null) {
      return error;
    }
    return OVERFLOW_MODES.contains(QueueArguments.textValue(value)) ? null : "invalid_overflow";
  }

  private static String deadLetterRoutingKey(Object value, Map<String, Object> arguments) {
    String error = text(value);
    if (error != null) {
      return error;
    }
    return arguments.containsKey("x-dead-letter-exchange")
        ? null
        : "routing_key_but_no_dlx_defined";
  }

  private static String unacceptableType(Object value) {
    return "{unacceptable_type," + Equivalence.typeName(value) + "}";
  }
}
