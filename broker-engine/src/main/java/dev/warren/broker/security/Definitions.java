package dev.warren.broker.security;

import dev.warren.broker.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Users, virtual hosts and permissions, read from a file in RabbitMQ's definitions format (the
 * "users", "vhosts" and "permissions" sections of an export; other sections are ignored).
 *
 * @param permissions per user, per virtual host
 */
public record Definitions(
    Map<String, User> users,
    Set<String> virtualHosts,
    Map<String, Map<String, Permission>> permissions) {

  public static final String DEFAULT_VIRTUAL_HOST = "/";

  public Definitions {
    users = Map.copyOf(users);
    virtualHosts = Set.copyOf(virtualHosts);
    permissions = Map.copyOf(permissions);
  }

  /**
   * What RabbitMQ creates on a fresh node: vhost "/" and, unless user is null, that user with all
   * permissions on it.
   */
  public static Definitions defaults(String user, String password) {
    if (user == null) {
      return new Definitions(Map.of(), Set.of(DEFAULT_VIRTUAL_HOST), Map.of());
    }
    return new Definitions(
        Map.of(user, User.withPassword(user, password, List.of("administrator"))),
        Set.of(DEFAULT_VIRTUAL_HOST),
        Map.of(user, Map.of(DEFAULT_VIRTUAL_HOST, Permission.ALL)));
  }

  public static Definitions read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read definitions file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("definitions file " + file + ": " + e.getMessage(), e);
    }
  }

  static Definitions parse(String json) {
    if (!(Json.parse(json) instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    Map<String, User> users = new LinkedHashMap<>();
    for (Map<?, ?> entry : objects(root, "users")) {
      User user = user(entry);
      users.put(user.name(), user);
    }
    Set<String> virtualHosts = new LinkedHashSet<>();
    for (Map<?, ?> entry : objects(root, "vhosts")) {
      virtualHosts.add(text(entry, "name", true));
    }
    Map<String, Map<String, Permission>> permissions = new LinkedHashMap<>();
    for (Map<?, ?> entry : objects(root, "permissions")) {
      String user = text(entry, "user", true);
      String vhost = text(entry, "vhost", true);
      if (!users.containsKey(user) || !virtualHosts.contains(vhost)) {
        throw new IllegalArgumentException(
            "permission for unknown user '%s' or vhost '%s'".formatted(user, vhost));
      }
      permissions
          .computeIfAbsent(user, u -> new LinkedHashMap<>())
          .put(
              vhost,
              Permission.of(
                  text(entry, "configure", false),
                  text(entry, "write", false),
                  text(entry, "read", false)));
    }
    return new Definitions(users, virtualHosts, permissions);
  }

  /** A password_hash (as exported) or, for hand-written files, a plain password to hash now. */
  private static User user(Map<?, ?> entry) {
    String name = text(entry, "name", true);
    List<String> tags = tags(entry.get("tags"));
    String password = text(entry, "password", false);
    if (password != null && entry.get("password_hash") == null) {
      return User.withPassword(name, password, tags);
    }
    String hash = text(entry, "password_hash", false);
    PasswordHashing hashing = PasswordHashing.named(text(entry, "hashing_algorithm", false), hash);
    return new User(name, hash == null ? "" : hash, hashing, tags);
  }

  /** RabbitMQ 3.x exports tags as a comma-separated string, newer versions as a list. */
  private static List<String> tags(Object value) {
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

  private static List<Map<?, ?>> objects(Map<?, ?> root, String section) {
    Object value = root.get(section);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("'" + section + "' must be a list");
    }
    List<Map<?, ?>> objects = new ArrayList<>();
    for (Object element : list) {
      if (!(element instanceof Map<?, ?> object)) {
        throw new IllegalArgumentException("'" + section + "' must hold objects");
      }
      objects.add(object);
    }
    return objects;
  }

  private static String text(Map<?, ?> object, String field, boolean required) {
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
