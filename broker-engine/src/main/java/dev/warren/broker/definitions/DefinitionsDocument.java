package dev.warren.broker.definitions;

import dev.warren.broker.json.Json;
import dev.warren.broker.security.PasswordHashing;
import dev.warren.broker.security.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A definitions document in RabbitMQ's format, as {@code rabbitmqctl export_definitions} and the
 * management API's {@code /api/definitions} write it and as a definitions file is read: users,
 * vhosts, permissions, topic permissions, parameters, global parameters, policies, queues,
 * exchanges and bindings. Missing sections are empty; unknown ones are ignored.
 */
public record DefinitionsDocument(
    List<User> users,
    List<VirtualHostDefinition> vhosts,
    List<PermissionDefinition> permissions,
    List<TopicPermissionDefinition> topicPermissions,
    List<ParameterDefinition> parameters,
    List<GlobalParameterDefinition> globalParameters,
    List<PolicyDefinition> policies,
    List<TopologyDefinition.Queue> queues,
    List<TopologyDefinition.Exchange> exchanges,
    List<TopologyDefinition.Binding> bindings) {

  public static DefinitionsDocument read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read definitions file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("definitions file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a document.
   *
   * @param vhost for a document of one virtual host (RabbitMQ's per-vhost export, whose items name
   *     no vhost): the vhost every item belongs to; null for a whole-broker document
   * @throws IllegalArgumentException for invalid JSON or a malformed item, with the reason
   */
  public static DefinitionsDocument parse(String json, String vhost) {
    Object parsed = Json.parse(json);
    if (!(parsed instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    Reader in = new Reader(vhost);
    return new DefinitionsDocument(
        in.each(root, "users", in::user),
        in.each(root, "vhosts", in::virtualHost),
        in.each(
            root,
            "permissions",
            e ->
                new PermissionDefinition(
                    in.text(e, "user", true),
                    in.vhost(e),
                    in.pattern(e, "configure"),
                    in.pattern(e, "write"),
                    in.pattern(e, "read"))),
        in.each(
            root,
            "topic_permissions",
            e ->
                new TopicPermissionDefinition(
                    in.text(e, "user", true),
                    in.vhost(e),
                    in.text(e, "exchange", true),
                    in.pattern(e, "write"),
                    in.pattern(e, "read"))),
        in.each(
            root,
            "parameters",
            e ->
                new ParameterDefinition(
                    in.text(e, "component", true),
                    in.vhost(e),
                    in.text(e, "name", true),
                    e.get("value"))),
        in.each(
            root,
            "global_parameters",
            e -> new GlobalParameterDefinition(in.text(e, "name", true), e.get("value"))),
        in.each(root, "policies", in::policy),
        in.each(
            root,
            "queues",
            e ->
                new TopologyDefinition.Queue(
                    in.vhost(e),
                    in.text(e, "name", true),
                    in.flag(e, "durable", true),
                    in.flag(e, "auto_delete", false),
                    in.arguments(e))),
        in.each(
            root,
            "exchanges",
            e ->
                new TopologyDefinition.Exchange(
                    in.vhost(e),
                    in.text(e, "name", true),
                    in.text(e, "type", true),
                    in.flag(e, "durable", true),
                    in.flag(e, "auto_delete", false),
                    in.flag(e, "internal", false),
                    in.arguments(e))),
        in.each(
            root,
            "bindings",
            e ->
                new TopologyDefinition.Binding(
                    in.vhost(e),
                    in.text(e, "source", true),
                    in.text(e, "destination", true),
                    in.text(e, "destination_type", true),
                    in.textOr(e, "routing_key", ""),
                    in.arguments(e))));
  }

  /** The definition changes that make this document's users, vhosts, grants and policies. */
  public List<DefinitionChange> changes() {
    List<DefinitionChange> changes = new ArrayList<>();
    users.forEach(u -> changes.add(new DefinitionChange.PutUser(u)));
    vhosts.forEach(v -> changes.add(new DefinitionChange.PutVirtualHost(v)));
    permissions.forEach(p -> changes.add(new DefinitionChange.PutPermission(p)));
    topicPermissions.forEach(p -> changes.add(new DefinitionChange.PutTopicPermission(p)));
    globalParameters.forEach(p -> changes.add(new DefinitionChange.PutGlobalParameter(p)));
    policies.forEach(p -> changes.add(new DefinitionChange.PutPolicy(p)));
    parameters.forEach(p -> changes.add(new DefinitionChange.PutParameter(p)));
    return changes;
  }

  /** Reads the items of a document, naming the field that is wrong. */
  private static final class Reader {
    private final String vhost;

    Reader(String vhost) {
      this.vhost = vhost;
    }

    <T> List<T> each(
        Map<?, ?> root, String section, java.util.function.Function<Map<?, ?>, T> item) {
      Object value = root.get(section);
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List<?> list)) {
        throw new IllegalArgumentException("'" + section + "' must be a list");
      }
      List<T> items = new ArrayList<>();
      for (Object element : list) {
        if (!(element instanceof Map<?, ?> object)) {
          throw new IllegalArgumentException("'" + section + "' must hold objects");
        }
        items.add(item.apply(object));
      }
      return List.copyOf(items);
    }

    String vhost(Map<?, ?> entry) {
      return vhost != null ? vhost : text(entry, "vhost", true);
    }

    /** A password_hash (as exported) or, for hand-written files, a plain password to hash now. */
    User user(Map<?, ?> entry) {
      String name = text(entry, "name", true);
      List<String> tags = tags(entry.get("tags"));
      String password = text(entry, "password", false);
      if (password != null && entry.get("password_hash") == null) {
        return User.withPassword(name, password, tags);
      }
      String hash = text(entry, "password_hash", false);
      PasswordHashing hashing =
          PasswordHashing.named(text(entry, "hashing_algorithm", false), hash);
      return new User(name, hash == null ? "" : hash, hashing, tags);
    }

    VirtualHostDefinition virtualHost(Map<?, ?> entry) {
      Map<?, ?> metadata = entry.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
      Object description =
          entry.get("description") != null ? entry.get("description") : metadata.get("description");
      Object tags = entry.get("tags") != null ? entry.get("tags") : metadata.get("tags");
      Object queueType =
          entry.get("default_queue_type") != null
              ? entry.get("default_queue_type")
              : metadata.get("default_queue_type");
      return new VirtualHostDefinition(
          text(entry, "name", true),
          description instanceof String d ? d : "",
          tags(tags),
          queueType instanceof String q && !q.equals("undefined") ? q : null,
          Boolean.TRUE.equals(entry.get("tracing")));
    }

    PolicyDefinition policy(Map<?, ?> entry) {
      Map<String, Object> definition = new LinkedHashMap<>();
      if (entry.get("definition") instanceof Map<?, ?> keys) {
        keys.forEach((k, v) -> definition.put(String.valueOf(k), v));
      }
      Object priority = entry.get("priority");
      return new PolicyDefinition(
          vhost(entry),
          text(entry, "name", true),
          textOr(entry, "pattern", ""),
          textOr(entry, "apply-to", "all"),
          priority instanceof Number n ? n.intValue() : 0,
          definition);
    }

    /** RabbitMQ 3.x exports tags as a comma-separated string, newer versions as a list. */
    List<String> tags(Object value) {
      List<String> tags = new ArrayList<>();
      if (value instanceof String text) {
        for (String tag : text.split(",")) {
          if (!tag.isBlank()) {
            tags.add(tag.trim());
          }
        }
      } else if (value instanceof List<?> list) {
        list.forEach(tag -> tags.add(String.valueOf(tag)));
      }
      return tags;
    }

    Map<String, Object> arguments(Map<?, ?> entry) {
      Map<String, Object> arguments = new LinkedHashMap<>();
      if (entry.get("arguments") instanceof Map<?, ?> map) {
        map.forEach((k, v) -> arguments.put(String.valueOf(k), v));
      }
      return arguments;
    }

    /** A permission pattern: absent means none (RabbitMQ reads "" as matching nothing). */
    String pattern(Map<?, ?> entry, String field) {
      return textOr(entry, field, "");
    }

    boolean flag(Map<?, ?> entry, String field, boolean absent) {
      Object value = entry.get(field);
      if (value == null) {
        return absent;
      }
      if (value instanceof Boolean b) {
        return b;
      }
      throw new IllegalArgumentException(
          "field '" + field + "' must be true or false in " + entry.keySet());
    }

    String textOr(Map<?, ?> entry, String field, String absent) {
      String value = text(entry, field, false);
      return value == null ? absent : value;
    }

    String text(Map<?, ?> object, String field, boolean required) {
      Object value = object.get(field);
      if (value instanceof String text) {
        return text;
      }
      if (value == null && !required) {
        return null;
      }
      throw new IllegalArgumentException(
          "field '" + field + "' must be a string in " + object.keySet());
    }
  }
}
