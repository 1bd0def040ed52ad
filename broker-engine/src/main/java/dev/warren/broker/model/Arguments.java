package dev.warren.broker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Argument tables as the model keeps them: immutable snapshots that may hold void (null). */
final class Arguments {
  private Arguments() {}

  /** Like {@link Map#copyOf} but keeps null values, which AMQP's void type decodes to. */
  static Map<String, Object> copyOf(Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
  }
}
