package dev.warren.broker.definitions;

import dev.warren.broker.definitions.DefinitionChange.DeleteGlobalParameter;
import dev.warren.broker.definitions.DefinitionChange.DeleteParameter;
import dev.warren.broker.definitions.DefinitionChange.DeletePermission;
import dev.warren.broker.definitions.DefinitionChange.DeletePolicy;
import dev.warren.broker.definitions.DefinitionChange.DeleteTopicPermission;
import dev.warren.broker.definitions.DefinitionChange.DeleteUser;
import dev.warren.broker.definitions.DefinitionChange.DeleteVirtualHost;
import dev.warren.broker.definitions.DefinitionChange.PutGlobalParameter;
import dev.warren.broker.definitions.DefinitionChange.PutParameter;
import dev.warren.broker.definitions.DefinitionChange.PutPermission;
import dev.warren.broker.definitions.DefinitionChange.PutPolicy;
import dev.warren.broker.definitions.DefinitionChange.PutTopicPermission;
import dev.warren.broker.definitions.DefinitionChange.PutUser;
import dev.warren.broker.definitions.DefinitionChange.PutVirtualHost;
import dev.warren.broker.json.Json;
import dev.warren.broker.security.PasswordHashing;
import dev.warren.broker.security.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change as one JSON object ({@code {"op": "put_user", ...}}): how journals store changes. JSON
 * keeps the records readable and lets a field be added later without breaking old logs. Users
 * appear only with their password hash.
 */
public final class DefinitionCodec {
  private DefinitionCodec() {}

  public static String encode(DefinitionChange change) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (change instanceof PutUser put) {
      User user = put.user();
      op(json, "put_user").put("name", user.name());
      json.put("password_hash", user.passwordHash());
      json.put("hashing_algorithm", user.hashing().rabbitName());
      json.put("tags", user.tags());
    } else if (change instanceof DeleteUser delete) {
      op(json, "delete_user").put("name", delete.name());
    } else if (change instanceof PutVirtualHost put) {
      VirtualHostDefinition v = put.virtualHost();
      op(json, "put_vhost").put("name", v.name());
      json.put("description", v.description());
      json.put("tags", v.tags());
      json.put("default_queue_type", v.defaultQueueType());
      json.put("tracing", v.tracing());
    } else if (change instanceof DeleteVirtualHost delete) {
      op(json, "delete_vhost").put("name", delete.name());
    } else if (change instanceof PutPermission put) {
      PermissionDefinition p = put.permission();
      op(json, "put_permission").put("user", p.user());
      json.put("vhost", p.vhost());
      json.put("configure", p.configure());
      json.put("write", p.write());
      json.put("read", p.read());
    } else if (change instanceof DeletePermission delete) {
      op(json, "delete_permission").put("user", delete.user());
      json.put("vhost", delete.vhost());
    } else if (change instanceof PutTopicPermission put) {
      TopicPermissionDefinition p = put.permission();
      op(json, "put_topic_permission").put("user", p.user());
      json.put("vhost", p.vhost());
      json.put("exchange", p.exchange());
      json.put("write", p.write());
      json.put("read", p.read());
    } else if (change instanceof DeleteTopicPermission delete) {
      op(json, "delete_topic_permission").put("user", delete.user());
      json.put("vhost", delete.vhost());
      json.put("exchange", delete.exchange());
    } else if (change instanceof PutParameter put) {
      ParameterDefinition p = put.parameter();
      op(json, "put_parameter").put("component", p.component());
      json.put("vhost", p.vhost());
      json.put("name", p.name());
      json.put("value", p.value());
    } else if (change instanceof DeleteParameter delete) {
      op(json, "delete_parameter").put("component", delete.component());
      json.put("vhost", delete.vhost());
      json.put("name", delete.name());
    } else if (change instanceof PutGlobalParameter put) {
      op(json, "put_global_parameter").put("name", put.parameter().name());
      json.put("value", put.parameter().value());
    } else if (change instanceof DeleteGlobalParameter delete) {
      op(json, "delete_global_parameter").put("name", delete.name());
    } else if (change instanceof PutPolicy put) {
      PolicyDefinition p = put.policy();
      op(json, "put_policy").put("vhost", p.vhost());
      json.put("name", p.name());
      json.put("pattern", p.pattern());
      json.put("apply-to", p.applyTo());
      json.put("priority", p.priority());
      json.put("definition", p.definition());
    } else if (change instanceof DeletePolicy delete) {
      op(json, "delete_policy").put("vhost", delete.vhost());
      json.put("name", delete.name());
    }
    return Json.write(json);
  }

  /**
   * @throws IllegalArgumentException if the text is not a change this codec wrote
   */
  public static DefinitionChange decode(String text) {
    if (!(Json.parse(text) instanceof Map<?, ?> json)) {
      throw new IllegalArgumentException("a definition change must be a JSON object");
    }
    String op = string(json, "op");
    return switch (op) {
      case "put_user" ->
          new PutUser(
              new User(
                  string(json, "name"),
                  string(json, "password_hash"),
                  PasswordHashing.named(
                      string(json, "hashing_algorithm"), string(json, "password_hash")),
                  strings(json.get("tags"))));
      case "delete_user" -> new DeleteUser(string(json, "name"));
      case "put_vhost" ->
          new PutVirtualHost(
              new VirtualHostDefinition(
                  string(json, "name"),
                  (String) json.get("description"),
                  strings(json.get("tags")),
                  (String) json.get("default_queue_type"),
                  Boolean.TRUE.equals(json.get("tracing"))));
      case "delete_vhost" -> new DeleteVirtualHost(string(json, "name"));
      case "put_permission" ->
          new PutPermission(
              new PermissionDefinition(
                  string(json, "user"),
                  string(json, "vhost"),
                  string(json, "configure"),
                  string(json, "write"),
                  string(json, "read")));
      case "delete_permission" -> new DeletePermission(string(json, "user"), string(json, "vhost"));
      case "put_topic_permission" ->
          new PutTopicPermission(
              new TopicPermissionDefinition(
                  string(json, "user"),
                  string(json, "vhost"),
                  string(json, "exchange"),
                  string(json, "write"),
                  string(json, "read")));
      case "delete_topic_permission" ->
          new DeleteTopicPermission(
              string(json, "user"), string(json, "vhost"), (String) json.get("exchange"));
      case "put_parameter" ->
          new PutParameter(
              new ParameterDefinition(
                  string(json, "component"),
                  string(json, "vhost"),
                  string(json, "name"),
                  json.get("value")));
      case "delete_parameter" ->
          new DeleteParameter(
              string(json, "component"), string(json, "vhost"), string(json, "name"));
      case "put_global_parameter" ->
          new PutGlobalParameter(
              new GlobalParameterDefinition(string(json, "name"), json.get("value")));
      case "delete_global_parameter" -> new DeleteGlobalParameter(string(json, "name"));
      case "put_policy" ->
          new PutPolicy(
              new PolicyDefinition(
                  string(json, "vhost"),
                  string(json, "name"),
                  string(json, "pattern"),
                  string(json, "apply-to"),
                  ((Number) json.get("priority")).intValue(),
                  definition(json.get("definition"))));
      case "delete_policy" -> new DeletePolicy(string(json, "vhost"), string(json, "name"));
      default -> throw new IllegalArgumentException("unknown definition change " + op);
    };
  }

  private static Map<String, Object> op(Map<String, Object> json, String op) {
    json.put("op", op);
    return json;
  }

  private static String string(Map<?, ?> json, String field) {
    if (json.get(field) instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException("field " + field + " missing in a definition change");
  }

  private static List<String> strings(Object value) {
    List<String> strings = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> strings.add(String.valueOf(v)));
    }
    return strings;
  }

  private static Map<String, Object> definition(Object value) {
    Map<String, Object> definition = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> definition.put(String.valueOf(k), v));
    }
    return definition;
  }
}
