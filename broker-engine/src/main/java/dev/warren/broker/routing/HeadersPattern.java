package dev.warren.broker.routing;

import dev.warren.broker.protocol.FieldValues;
import dev.warren.broker.protocol.RawLongString;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one headers-exchange binding, compiled. RabbitMQ's rules: {@code x-match} is
 * {@code all} (default), {@code any}, {@code all-with-x} or {@code any-with-x}; other keys starting
 * with {@code x-} are ignored unless the mode ends in {@code -with-x}; a void (null) argument only
 * requires the header to be present; otherwise type classes must agree (all integer widths compare
 * as one class, float and double as another) and values must be equal.
 */
public record HeadersPattern(boolean all, List<Map.Entry<String, Object>> expected) {
  private static final String X_MATCH = "x-match";

  /**
   * @throws IllegalArgumentException with RabbitMQ's text if {@code x-match} is invalid
   */
  public static HeadersPattern compile(Map<String, Object> arguments) {
    Object mode = arguments.get(X_MATCH);
    String modeText = mode == null ? "all" : asText(mode);
    boolean all;
    boolean withX;
    switch (modeText == null ? "" : modeText) {
      case "all" -> {
        all = true;
        withX = false;
      }
      case "any" -> {
        all = false;
        withX = false;
      }
      case "all-with-x" -> {
        all = true;
        withX = true;
      }
      case "any-with-x" -> {
        all = false;
        withX = true;
      }
      default ->
          throw new IllegalArgumentException(
              "Invalid x-match field value "
                  + (modeText == null ? String.valueOf(mode) : "<<\"" + modeText + "\">>")
                  + "; expected all, any, all-with-x, or any-with-x");
    }
    List<Map.Entry<String, Object>> expected = new ArrayList<>();
    for (Map.Entry<String, Object> argument : arguments.entrySet()) {
      String key = argument.getKey();
      if (key.equals(X_MATCH) || (!withX && key.startsWith("x-"))) {
        continue;
      }
      expected.add(new AbstractMap.SimpleImmutableEntry<>(key, argument.getValue()));
    }
    return new HeadersPattern(all, List.copyOf(expected));
  }

  private static String asText(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof RawLongString raw) {
      return raw.text();
    }
    return null;
  }

  public boolean matches(Map<String, Object> headers) {
    for (int i = 0; i < expected.size(); i++) {
      Map.Entry<String, Object> pattern = expected.get(i);
      boolean present = headers.containsKey(pattern.getKey());
      boolean equal = present && valueMatches(pattern.getValue(), headers.get(pattern.getKey()));
      if (all && !equal) {
        return false;
      }
      if (!all && equal) {
        return true;
      }
    }
    return all;
  }

  private static boolean valueMatches(Object pattern, Object actual) {
    if (pattern == null) {
      return true;
    }
    if (actual == null) {
      return false;
    }
    TypeClass patternClass = TypeClass.of(pattern);
    if (patternClass != TypeClass.of(actual)) {
      return false;
    }
    return switch (patternClass) {
      case INTEGER -> ((Number) pattern).longValue() == ((Number) actual).longValue();
      case FLOAT -> ((Number) pattern).doubleValue() == ((Number) actual).doubleValue();
      case DECIMAL -> ((BigDecimal) pattern).compareTo((BigDecimal) actual) == 0;
      case BYTES -> Arrays.equals((byte[]) pattern, (byte[]) actual);
      case OTHER -> pattern.equals(actual);
    };
  }

  /** RabbitMQ's {@code rabbit_misc:type_class/1}: widths of one kind compare as equals. */
  private enum TypeClass {
    INTEGER,
    FLOAT,
    DECIMAL,
    BYTES,
    OTHER;

    static TypeClass of(Object value) {
      if (FieldValues.isInteger(value)) {
        return INTEGER;
      }
      if (value instanceof Float || value instanceof Double) {
        return FLOAT;
      }
      if (value instanceof BigDecimal) {
        return DECIMAL;
      }
      if (value instanceof byte[]) {
        return BYTES;
      }
      return OTHER;
    }
  }
}
