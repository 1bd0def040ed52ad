package dev.warren.broker.ctl;

import dev.warren.broker.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a column's value is printed. The management API gives plain JSON; rabbitmqctl prints Erlang's
 * data in its table form (field tables as {@code [{"key",value}]}) and, with {@code --formatter
 * json}, field tables as typed triples {@code ["key","longstr","value"]}. Types that JSON does not
 * carry are inferred: integers are {@code long}, strings {@code longstr}.
 */
enum Kind {
  /** Strings, numbers, booleans: as they are. */
  PLAIN,
  /** An AMQP field table (arguments, client properties). */
  TABLE,
  /** A list of tags: {@code [administrator, monitoring]}. */
  TAGS,
  /** An IP address: text in a table, Erlang's tuple as a JSON array of numbers. */
  ADDRESS,
  /** The API's "AMQP 0-9-1": rabbitmqctl prints the version tuple, {@code {0,9,1}}. */
  PROTOCOL;

  String text(Object value) {
    return switch (this) {
      case PLAIN -> plainText(value);
      case TABLE -> value instanceof Map<?, ?> map ? termOfTable(map) : plainText(value);
      case TAGS -> "[" + String.join(", ", tags(value)) + "]";
      case ADDRESS -> plainText(value);
      case PROTOCOL -> {
        List<Integer> version = protocolVersion(value);
        yield version == null
            ? plainText(value)
            : version.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
      }
    };
  }

  void json(Object value, StringBuilder out) {
    switch (this) {
      case PLAIN -> Json.writeForTerminal(value == null ? "" : value, out);
      case TABLE -> {
        if (value instanceof Map<?, ?> map) {
          typedTable(map, out);
        } else {
          out.append("[]");
        }
      }
      case TAGS -> Json.writeForTerminal(tags(value), out);
      case ADDRESS -> {
        List<Integer> octets = ipv4(value);
        Json.writeForTerminal(octets == null ? plainText(value) : octets, out);
      }
      case PROTOCOL -> {
        List<Integer> version = protocolVersion(value);
        Json.writeForTerminal(version == null ? plainText(value) : version, out);
      }
    }
  }

  static String plainText(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Number number) {
      return Json.number(number);
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return term(value);
    }
    return value.toString();
  }

  /** Tags come as a JSON array (RabbitMQ 3.9+) or as one comma-separated string (older). */
  static List<String> tags(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    if (value instanceof String text && !text.isBlank()) {
      return List.of(text.split("\\s*,\\s*"));
    }
    return List.of();
  }

  /** In the API's order, which is the order the client sent (RabbitMQ's API sorts the keys). */
  private static String termOfTable(Map<?, ?> table) {
    return table.entrySet().stream()
        .map(e -> "{" + quoted(String.valueOf(e.getKey())) + "," + term(e.getValue()) + "}")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String term(Object value) {
    if (value instanceof String text) {
      return quoted(text);
    }
    if (value instanceof Map<?, ?> map) {
      return termOfTable(map);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Kind::term).collect(Collectors.joining(",", "[", "]"));
    }
    return value == null ? "undefined" : plainText(value);
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void typedTable(Map<?, ?> table, StringBuilder out) {
    out.append('[');
    boolean first = true;
    for (Map.Entry<?, ?> entry : table.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append('[');
      Json.writeForTerminal(String.valueOf(entry.getKey()), out);
      out.append(',');
      typedValue(entry.getValue(), true, out);
      out.append(']');
    }
    out.append(']');
  }

  /**
   * A field value with its AMQP type: as {@code "type",value} inside a table's triple, as {@code
   * "type":value} inside an array (rabbitmqctl prints Erlang's array of {type, value} pairs as a
   * JSON object, repeating keys when two elements share a type).
   */
  private static void typedValue(Object value, boolean inTable, StringBuilder out) {
    String type = amqpType(value);
    Json.writeForTerminal(type, out);
    out.append(inTable ? ',' : ':');
    if (value instanceof Map<?, ?> map) {
      typedTable(map, out);
    } else if (value instanceof List<?> list) {
      out.append('{');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        typedValue(list.get(i), false, out);
      }
      out.append('}');
    } else {
      Json.writeForTerminal(value, out);
    }
  }

  private static String amqpType(Object value) {
    if (value instanceof String) {
      return "longstr";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) ? "long" : "double";
    }
    if (value instanceof Map<?, ?>) {
      return "table";
    }
    if (value instanceof List<?>) {
      return "array";
    }
    return "void";
  }

  private static List<Integer> protocolVersion(Object value) {
    if (!(value instanceof String text) || !text.matches("AMQP \\d+-\\d+(-\\d+)?")) {
      return null;
    }
    return Arrays.stream(text.substring(5).split("-")).map(Integer::valueOf).toList();
  }

  private static List<Integer> ipv4(Object value) {
    if (!(value instanceof String text) || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    return Arrays.stream(text.split("\\.")).map(Integer::valueOf).toList();
  }
}
