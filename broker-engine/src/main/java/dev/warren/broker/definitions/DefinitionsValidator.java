package dev.warren.broker.definitions;

import dev.warren.broker.definitions.DefinitionChange.PutParameter;
import dev.warren.broker.definitions.DefinitionChange.PutPermission;
import dev.warren.broker.definitions.DefinitionChange.PutPolicy;
import dev.warren.broker.definitions.DefinitionChange.PutTopicPermission;
import dev.warren.broker.definitions.DefinitionChange.PutUser;
import dev.warren.broker.definitions.DefinitionChange.PutVirtualHost;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a change against the state it would apply to, before it is journaled: what it refers to
 * must exist, and patterns, parameters and policies must be valid, with RabbitMQ's reasons.
 */
public final class DefinitionsValidator {
  private static final Set<String> LIMITS = Set.of("max-connections", "max-queues");

  private DefinitionsValidator() {}

  /**
   * @throws InvalidDefinitionException if the change would be refused by RabbitMQ
   */
  public static void check(DefinitionsState state, DefinitionChange change) {
    if (change instanceof PutUser put) {
      requireName(put.user().name(), "user");
    } else if (change instanceof PutVirtualHost put) {
      requireName(put.virtualHost().name(), "vhost");
    } else if (change instanceof PutPermission put) {
      PermissionDefinition p = put.permission();
      requireUserAndVhost(state, p.user(), p.vhost());
      regex(p.configure());
      regex(p.write());
      regex(p.read());
    } else if (change instanceof PutTopicPermission put) {
      TopicPermissionDefinition p = put.permission();
      requireUserAndVhost(state, p.user(), p.vhost());
      regex(p.write());
      regex(p.read());
    } else if (change instanceof PutParameter put) {
      requireVhost(state, put.parameter().vhost());
      parameter(put.parameter());
    } else if (change instanceof PutPolicy put) {
      PolicyDefinition p = put.policy();
      requireVhost(state, p.vhost());
      PolicyValidator.check(false, p.pattern(), p.applyTo(), (long) p.priority(), p.definition());
    }
  }

  private static void parameter(ParameterDefinition parameter) {
    switch (parameter.component()) {
      case ParameterDefinition.VHOST_LIMITS -> limits(parameter.value());
      case ParameterDefinition.OPERATOR_POLICY -> {
        if (!(parameter.value() instanceof Map<?, ?> value)) {
          throw InvalidDefinitionException.validationFailed(
              ErlangTerms.format(parameter.value()) + " is not a valid operator policy");
        }
        PolicyValidator.check(
            true,
            value.get("pattern"),
            value.get("apply-to"),
            value.containsKey("priority") ? value.get("priority") : 0L,
            value.get("definition"));
      }
      default ->
          throw InvalidDefinitionException.validationFailed(
              "component " + parameter.component() + " not found");
    }
  }

  /** RabbitMQ's vhost-limits parameter: max-connections and max-queues, integers. */
  private static void limits(Object value) {
    if (!(value instanceof Map<?, ?> limits)) {
      throw InvalidDefinitionException.validationFailed(
          ErlangTerms.format(value) + " is not a valid vhost limits value");
    }
    Map<String, Object> unknown = new LinkedHashMap<>();
    limits.forEach(
        (key, limit) -> {
          if (!LIMITS.contains(String.valueOf(key))) {
            unknown.put(String.valueOf(key), limit);
          } else if (!(limit instanceof Long)) {
            throw InvalidDefinitionException.validationFailed(
                key + " should be a number, actually was " + ErlangTerms.format(limit));
          }
        });
    if (!unknown.isEmpty()) {
      throw InvalidDefinitionException.validationFailed(
          "Unrecognised terms " + ErlangTerms.format(unknown) + " in limits");
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new InvalidDefinitionException(what + " name must not be empty");
    }
  }

  private static void requireUserAndVhost(DefinitionsState state, String user, String vhost) {
    if (state.user(user) == null || state.virtualHost(vhost) == null) {
      throw new InvalidDefinitionException("vhost_or_user_not_found");
    }
  }

  private static void requireVhost(DefinitionsState state, String vhost) {
    if (state.virtualHost(vhost) == null) {
      throw new InvalidDefinitionException("vhost_not_found");
    }
  }

  private static void regex(String pattern) {
    try {
      Pattern.compile(pattern == null ? "" : pattern);
    } catch (PatternSyntaxException e) {
      throw new InvalidDefinitionException(
          "invalid_regexp: " + pattern + ": " + e.getDescription());
    }
  }
}
