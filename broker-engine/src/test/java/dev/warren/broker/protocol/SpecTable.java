package dev.warren.broker.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The AMQP 0-9-1 spec table (RabbitMQ's JSON) as plain records, domains resolved to types. */
final class SpecTable {
  record Argument(String name, String type) {}

  record Method(
      String className,
      int classId,
      String name,
      int methodId,
      boolean content,
      List<Argument> arguments) {

    /** The record that stands for this method, e.g. {@code BasicMethod.RecoverAsync}. */
    Class<?> recordClass() throws ClassNotFoundException {
      return Class.forName(interfaceName() + "$" + pascalCase(name));
    }

    String interfaceName() {
      return SpecTable.class.getPackageName() + "." + pascalCase(className) + "Method";
    }
  }

  record Constant(String name, int value, String errorClass) {}

  private static final JsonNode SPEC = load();

  private SpecTable() {}

  static List<Method> methods() {
    Map<String, String> domains = new HashMap<>();
    SPEC.get("domains").forEach(d -> domains.put(d.get(0).asText(), d.get(1).asText()));
    List<Method> methods = new ArrayList<>();
    for (JsonNode amqpClass : SPEC.get("classes")) {
      for (JsonNode method : amqpClass.get("methods")) {
        List<Argument> arguments = new ArrayList<>();
        for (JsonNode argument : method.get("arguments")) {
          String type =
              argument.has("type")
                  ? argument.get("type").asText()
                  : domains.get(argument.get("domain").asText());
          arguments.add(new Argument(argument.get("name").asText(), type));
        }
        methods.add(
            new Method(
                amqpClass.get("name").asText(),
                amqpClass.get("id").asInt(),
                method.get("name").asText(),
                method.get("id").asInt(),
                method.path("content").asBoolean(false),
                arguments));
      }
    }
    return methods;
  }

  static List<Constant> constants() {
    List<Constant> constants = new ArrayList<>();
    for (JsonNode constant : SPEC.get("constants")) {
      constants.add(
          new Constant(
              constant.get("name").asText(),
              constant.get("value").asInt(),
              constant.path("class").asText("")));
    }
    return constants;
  }

  /** Property names and types of the basic class, in spec order. */
  static List<Argument> basicProperties() {
    List<Argument> properties = new ArrayList<>();
    for (JsonNode amqpClass : SPEC.get("classes")) {
      if (amqpClass.get("name").asText().equals("basic")) {
        for (JsonNode property : amqpClass.get("properties")) {
          properties.add(
              new Argument(property.get("name").asText(), property.get("type").asText()));
        }
      }
    }
    return properties;
  }

  /** "routing-key" → "routingKey". */
  static String camelCase(String specName) {
    String pascal = pascalCase(specName);
    return Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
  }

  /** "recover-async" → "RecoverAsync". */
  static String pascalCase(String specName) {
    StringBuilder name = new StringBuilder();
    for (String part : specName.split("-")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }

  private static JsonNode load() {
    try (InputStream in = SpecTable.class.getResourceAsStream("/amqp-rabbitmq-0.9.1.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
