package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.PermissionDefinition;
import dev.warren.broker.definitions.TopicPermissionDefinition;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /api/permissions} and {@code /api/topic-permissions}: a user's patterns in a vhost, also
 * listed per user and per vhost. A revoked permission refuses the user's next operation.
 */
public final class PermissionsController implements Controller {
  private static final List<String> SORT = List.of("vhost", "user");

  private final BrokerAdmin broker;

  public PermissionsController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get(
            "/api/permissions",
            Access.ADMINISTRATOR,
            call -> call.list(permissions(p -> true), SORT))
        .get(
            "/api/vhosts/{vhost}/permissions",
            Access.ADMINISTRATOR,
            call -> call.list(permissions(p -> p.vhost().equals(call.vhost())), SORT))
        .get(
            "/api/users/{user}/permissions",
            Access.ADMINISTRATOR,
            call -> call.list(permissions(p -> p.user().equals(user(call))), SORT))
        .get("/api/permissions/{vhost}/{user}", Access.ADMINISTRATOR, this::show)
        .put("/api/permissions/{vhost}/{user}", Access.ADMINISTRATOR, this::put)
        .delete("/api/permissions/{vhost}/{user}", Access.ADMINISTRATOR, this::delete)
        .get(
            "/api/topic-permissions",
            Access.ADMINISTRATOR,
            call -> call.list(topic(p -> true), SORT))
        .get(
            "/api/vhosts/{vhost}/topic-permissions",
            Access.ADMINISTRATOR,
            call -> call.list(topic(p -> p.vhost().equals(call.vhost())), SORT))
        .get(
            "/api/users/{user}/topic-permissions",
            Access.ADMINISTRATOR,
            call -> call.list(topic(p -> p.user().equals(user(call))), SORT))
        .get("/api/topic-permissions/{vhost}/{user}", Access.ADMINISTRATOR, call -> topicOf(call))
        .put("/api/topic-permissions/{vhost}/{user}", Access.ADMINISTRATOR, this::putTopic)
        .delete(
            "/api/topic-permissions/{vhost}/{user}",
            Access.ADMINISTRATOR,
            call -> deleteTopic(call, null))
        .delete(
            "/api/topic-permissions/{vhost}/{user}/{exchange}",
            Access.ADMINISTRATOR,
            call -> deleteTopic(call, call.parameter("exchange")));
  }

  private String user(ApiCall call) {
    String user = call.parameter("user");
    if (broker.definitions().user(user) == null) {
      throw ApiException.objectNotFound();
    }
    return user;
  }

  private List<Map<String, Object>> permissions(Predicate<PermissionDefinition> which) {
    return broker.definitions().permissions().stream()
        .filter(which)
        .map(PermissionsController::shape)
        .toList();
  }

  private List<Map<String, Object>> topic(Predicate<TopicPermissionDefinition> which) {
    return broker.definitions().topicPermissions().stream()
        .filter(which)
        .map(PermissionsController::shape)
        .toList();
  }

  private Object show(ApiCall call) {
    PermissionDefinition permission =
        broker.definitions().permissionDefinition(call.parameter("user"), call.vhost());
    if (permission == null) {
      throw ApiException.objectNotFound();
    }
    return shape(permission);
  }

  private Object put(ApiCall call) {
    String vhost = call.parameter("vhost");
    String user = call.parameter("user");
    call.requireFields("configure", "write", "read");
    DefinitionsState definitions = broker.definitions();
    boolean existed = definitions.permissionDefinition(user, vhost) != null;
    broker.changeDefinitions(
        List.of(
            new DefinitionChange.PutPermission(
                new PermissionDefinition(
                    user,
                    vhost,
                    call.text("configure", ""),
                    call.text("write", ""),
                    call.text("read", "")))));
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object delete(ApiCall call) {
    String vhost = call.vhost();
    String user = call.parameter("user");
    if (broker.definitions().permissionDefinition(user, vhost) == null) {
      throw ApiException.objectNotFound();
    }
    broker.changeDefinitions(List.of(new DefinitionChange.DeletePermission(user, vhost)));
    return null;
  }

  private Object topicOf(ApiCall call) {
    String vhost = call.vhost();
    String user = user(call);
    List<Map<String, Object>> found = topic(p -> p.vhost().equals(vhost) && p.user().equals(user));
    if (found.isEmpty()) {
      throw ApiException.objectNotFound();
    }
    return found;
  }

  private Object putTopic(ApiCall call) {
    String vhost = call.parameter("vhost");
    String user = call.parameter("user");
    call.requireFields("exchange", "write", "read");
    String exchange = call.text("exchange", "");
    boolean existed =
        broker.definitions().topicPermissions().stream()
            .anyMatch(
                p ->
                    p.vhost().equals(vhost)
                        && p.user().equals(user)
                        && p.exchange().equals(exchange));
    broker.changeDefinitions(
        List.of(
            new DefinitionChange.PutTopicPermission(
                new TopicPermissionDefinition(
                    user, vhost, exchange, call.text("write", ""), call.text("read", "")))));
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object deleteTopic(ApiCall call, String exchange) {
    String vhost = call.vhost();
    String user = user(call);
    boolean any =
        broker.definitions().topicPermissions().stream()
            .anyMatch(
                p ->
                    p.vhost().equals(vhost)
                        && p.user().equals(user)
                        && (exchange == null || p.exchange().equals(exchange)));
    if (!any) {
      throw ApiException.objectNotFound();
    }
    broker.changeDefinitions(
        List.of(new DefinitionChange.DeleteTopicPermission(user, vhost, exchange)));
    return null;
  }

  static Map<String, Object> shape(PermissionDefinition p) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("user", p.user());
    shape.put("vhost", p.vhost());
    shape.put("configure", p.configure());
    shape.put("write", p.write());
    shape.put("read", p.read());
    return shape;
  }

  static Map<String, Object> shape(TopicPermissionDefinition p) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("user", p.user());
    shape.put("vhost", p.vhost());
    shape.put("exchange", p.exchange());
    shape.put("write", p.write());
    shape.put("read", p.read());
    return shape;
  }
}
