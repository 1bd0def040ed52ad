package dev.warren.broker.definitions;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON values printed as RabbitMQ's validation messages print the Erlang terms it decoded them to
 * ({@code ~p}): strings as {@code <<"text">>}, objects as property lists.
 */
final class ErlangTerms {
  private ErlangTerms() {}

  static String format(Object value) {
    if (value == null) {
      return "undefined";
    }
    if (value instanceof String text) {
      return "<<\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\">>";
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ErlangTerms::format).collect(Collectors.joining(",", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(e -> "{" + format(String.valueOf(e.getKey())) + "," + format(e.getValue()) + "}")
          .collect(Collectors.joining(",", "[", "]"));
    }
    return String.valueOf(value);
  }
}
