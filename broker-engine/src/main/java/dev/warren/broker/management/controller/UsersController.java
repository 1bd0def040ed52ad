package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.security.PasswordHashing;
import dev.warren.broker.security.User;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/users}: list (with password hashes, never passwords), show, create or update (PUT,
 * with {@code password} or {@code password_hash} and {@code hashing_algorithm}), delete (its
 * connections are closed), bulk delete.
 */
public final class UsersController implements Controller {
  private static final List<String> SORT = List.of("name");

  private final BrokerAdmin broker;

  public UsersController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/users", Access.ADMINISTRATOR, call -> call.list(all(), SORT))
        .get(
            "/api/users/without-permissions",
            Access.ADMINISTRATOR,
            call -> call.list(withoutPermissions(), SORT))
        .post("/api/users/bulk-delete", Access.ADMINISTRATOR, this::bulkDelete)
        .get("/api/users/{user}", Access.ADMINISTRATOR, call -> shape(find(call)))
        .put("/api/users/{user}", Access.ADMINISTRATOR, this::put)
        .delete("/api/users/{user}", Access.ADMINISTRATOR, this::delete);
  }

  private List<Map<String, Object>> all() {
    return broker.definitions().users().stream().map(UsersController::shape).toList();
  }

  private List<Map<String, Object>> withoutPermissions() {
    DefinitionsState definitions = broker.definitions();
    return definitions.users().stream()
        .filter(u -> definitions.permissions().stream().noneMatch(p -> p.user().equals(u.name())))
        .map(UsersController::shape)
        .toList();
  }

  private User find(ApiCall call) {
    User user = broker.definitions().user(call.parameter("user"));
    if (user == null) {
      throw ApiException.objectNotFound();
    }
    return user;
  }

  /**
   * RabbitMQ's rules: tags are required; a password is hashed now; a hash must be base64 of a known
   * algorithm; both at once are refused; neither keeps the existing password.
   */
  private Object put(ApiCall call) {
    String name = call.parameter("user");
    User existing = broker.definitions().user(name);
    if (call.body().get("tags") == null) {
      throw ApiException.badRequest("tags_not_present");
    }
    List<String> tags = VhostsController.tags(call.body().get("tags"));
    String password = call.text("password", null);
    String hash = call.text("password_hash", null);
    User user;
    if (password != null && hash != null) {
      throw ApiException.badRequest("both_password_and_password_hash_are_provided");
    } else if (password != null) {
      user = User.withPassword(name, password, tags);
    } else if (hash != null) {
      PasswordHashing hashing;
      try {
        hashing = PasswordHashing.named(call.text("hashing_algorithm", null), hash);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
      if (!hash.isEmpty()) {
        requireBase64(hash);
      }
      user = new User(name, hash, hashing, tags);
    } else if (existing != null) {
      user = new User(name, existing.passwordHash(), existing.hashing(), tags);
    } else {
      user = new User(name, "", PasswordHashing.SHA256, tags);
    }
    broker.changeDefinitions(List.of(new DefinitionChange.PutUser(user)));
    return HttpResponse.empty(existing == null ? 201 : 204);
  }

  private static void requireBase64(String hash) {
    try {
      Base64.getDecoder().decode(hash);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("not_base64: " + hash);
    }
  }

  private Object delete(ApiCall call) {
    User user = find(call);
    broker.changeDefinitions(List.of(new DefinitionChange.DeleteUser(user.name())));
    return null;
  }

  private Object bulkDelete(ApiCall call) {
    if (!(call.body().get("users") instanceof List<?> names)) {
      throw ApiException.badRequest("[{key_missing,users}]");
    }
    List<DefinitionChange> changes = new ArrayList<>();
    for (Object name : names) {
      if (broker.definitions().user(String.valueOf(name)) != null) {
        changes.add(new DefinitionChange.DeleteUser(String.valueOf(name)));
      }
    }
    broker.changeDefinitions(changes);
    return null;
  }

  /** Exports and listings show the hash and its algorithm; a password never leaves the broker. */
  static Map<String, Object> shape(User user) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("name", user.name());
    shape.put("password_hash", user.passwordHash());
    shape.put("hashing_algorithm", user.hashing().rabbitName());
    shape.put("tags", user.tags());
    shape.put("limits", Map.of());
    return shape;
  }
}
