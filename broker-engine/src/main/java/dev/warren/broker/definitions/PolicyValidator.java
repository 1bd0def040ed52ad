package dev.warren.broker.definitions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RabbitMQ's checks of a policy or operator policy ({@code rabbit_policy}, {@code
 * rabbit_policies}), with its messages. The keys of classic mirroring ({@code ha-*}) and of queue
 * types Warren does not have are accepted, as RabbitMQ accepts them, so that exports import; they
 * have no effect on Warren.
 */
public final class PolicyValidator {
  private static final Set<String> APPLY_TO = Set.of("all", "queues", "exchanges");

  private static final Predicate<Object> STRING = v -> v instanceof String;
  private static final Predicate<Object> NON_NEGATIVE = v -> v instanceof Long n && n >= 0;
  private static final Predicate<Object> POSITIVE = v -> v instanceof Long n && n >= 1;

  private record Rule(Predicate<Object> valid, String invalid) {}

  private static final Map<String, Rule> POLICY_KEYS = new LinkedHashMap<>();
  private static final Set<String> OPERATOR_POLICY_KEYS =
      Set.of(
          "expires",
          "message-ttl",
          "max-length",
          "max-length-bytes",
          "max-in-memory-length",
          "max-in-memory-bytes",
          "delivery-limit");

  static {
    rule("alternate-exchange", STRING, "is not a valid alternate exchange name");
    rule("dead-letter-exchange", STRING, "is not a valid dead letter exchange name");
    rule("dead-letter-routing-key", STRING, "is not a valid dead letter routing key");
    rule(
        "dead-letter-strategy",
        oneOf("at-most-once", "at-least-once"),
        "is not a valid dead letter strategy");
    rule("message-ttl", NON_NEGATIVE, "is not a valid message TTL");
    rule("expires", POSITIVE, "is not a valid queue expiry");
    rule("max-length", NON_NEGATIVE, "is not a valid maximum length");
    rule("max-length-bytes", NON_NEGATIVE, "is not a valid maximum length in bytes");
    rule("max-in-memory-length", NON_NEGATIVE, "is not a valid maximum memory in bytes");
    rule("max-in-memory-bytes", NON_NEGATIVE, "is not a valid maximum memory in bytes");
    rule("queue-mode", oneOf("default", "lazy"), "is not a valid queue-mode value");
    rule(
        "queue-version",
        v -> v instanceof Long n && (n == 1 || n == 2),
        "is not a valid queue-version value");
    rule(
        "overflow",
        oneOf("drop-head", "reject-publish", "reject-publish-dlx"),
        "is not a valid overflow value");
    rule("delivery-limit", NON_NEGATIVE, "is not a valid delivery limit");
    rule("max-age", STRING, "is not a valid max age");
    rule("stream-max-segment-size-bytes", NON_NEGATIVE, "is not a valid segment size");
    rule(
        "queue-leader-locator",
        oneOf("client-local", "balanced", "random", "least-leaders"),
        "is not a valid queue leader locator value");
    rule("initial-cluster-size", NON_NEGATIVE, "is not a valid cluster size");
    rule("ha-mode", oneOf("all", "exactly", "nodes"), "is not a valid ha-mode value");
    rule("ha-params", v -> true, "");
    rule("ha-sync-mode", oneOf("manual", "automatic"), "is not a valid ha-sync-mode value");
    rule("ha-sync-batch-size", POSITIVE, "is not a valid ha-sync-batch-size value");
    rule("ha-promote-on-shutdown", oneOf("always", "when-synced"), "is not a valid value");
    rule("ha-promote-on-failure", oneOf("always", "when-synced"), "is not a valid value");
  }

  private PolicyValidator() {}

  private static void rule(String key, Predicate<Object> valid, String invalid) {
    POLICY_KEYS.put(key, new Rule(valid, invalid));
  }

  private static Predicate<Object> oneOf(String... values) {
    Set<String> allowed = Set.of(values);
    return v -> v instanceof String s && allowed.contains(s);
  }

  /**
   * Checks a policy's parts as RabbitMQ does before storing it.
   *
   * @param operator whether it is an operator policy (fewer keys allowed)
   * @throws InvalidDefinitionException with RabbitMQ's message
   */
  public static void check(
      boolean operator, Object pattern, Object applyTo, Object priority, Object definition) {
    if (!(priority instanceof Long)) {
      throw InvalidDefinitionException.validationFailed(
          "priority should be a number, actually was " + ErlangTerms.format(priority));
    }
    if (!(pattern instanceof String regex)) {
      throw InvalidDefinitionException.validationFailed(
          "pattern should be regular expression but is invalid: " + ErlangTerms.format(pattern));
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw InvalidDefinitionException.validationFailed(
          "pattern should be regular expression but is invalid: {\""
              + e.getDescription()
              + "\","
              + Math.max(e.getIndex(), 0)
              + "}");
    }
    if (applyTo != null && !(applyTo instanceof String target && APPLY_TO.contains(target))) {
      throw InvalidDefinitionException.validationFailed(
          "apply-to '" + applyTo + "' unrecognised; should be 'queues', 'exchanges' or 'all'");
    }
    checkDefinition(operator, definition);
  }

  private static void checkDefinition(boolean operator, Object definition) {
    if (!(definition instanceof Map<?, ?> keys)) {
      throw InvalidDefinitionException.validationFailed(
          "definition must be a dictionary: " + ErlangTerms.format(definition));
    }
    if (keys.isEmpty()) {
      throw InvalidDefinitionException.validationFailed("no policy provided");
    }
    Map<String, Object> unknown = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    keys.forEach(
        (key, value) -> {
          Rule rule = POLICY_KEYS.get(String.valueOf(key));
          boolean allowed =
              rule != null && (!operator || OPERATOR_POLICY_KEYS.contains(String.valueOf(key)));
          if (!allowed) {
            unknown.put(String.valueOf(key), value);
          } else if (!rule.valid().test(value)) {
            errors.add(ErlangTerms.format(value) + " " + rule.invalid());
          }
        });
    if (!errors.isEmpty()) {
      throw InvalidDefinitionException.validationFailed(errors.get(0));
    }
    if (!unknown.isEmpty()) {
      throw InvalidDefinitionException.validationFailed(
          ErlangTerms.format(unknown) + " are not recognised policy settings");
    }
  }
}
