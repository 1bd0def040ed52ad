package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.GlobalParameterDefinition;
import dev.warren.broker.definitions.ParameterDefinition;
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
 * {@code /api/parameters} (vhost parameters: operator policies and vhost limits are among them),
 * {@code /api/global-parameters} and {@code /api/vhost-limits}, whose values take effect at once (a
 * lower {@code max-queues} refuses the next new queue, {@code max-connections} the next
 * connection).
 */
public final class ParametersController implements Controller {
  private static final List<String> SORT = List.of("vhost", "component", "name");

  private final BrokerAdmin broker;

  public ParametersController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/parameters", Access.MANAGEMENT, call -> call.list(list(call, p -> true), SORT))
        .get(
            "/api/parameters/{component}",
            Access.MANAGEMENT,
            call ->
                call.list(list(call, p -> p.component().equals(call.parameter("component"))), SORT))
        .get(
            "/api/parameters/{component}/{vhost}",
            Access.POLICYMAKER,
            call ->
                call.list(
                    list(
                        call,
                        p ->
                            p.component().equals(call.parameter("component"))
                                && p.vhost().equals(call.vhost())),
                    SORT))
        .get("/api/parameters/{component}/{vhost}/{name}", Access.POLICYMAKER, this::show)
        .put("/api/parameters/{component}/{vhost}/{name}", Access.POLICYMAKER, this::put)
        .delete("/api/parameters/{component}/{vhost}/{name}", Access.POLICYMAKER, this::delete)
        .get(
            "/api/global-parameters",
            Access.GLOBAL_POLICYMAKER,
            call ->
                call.list(
                    broker.definitions().globalParameters().stream()
                        .map(ParametersController::shape)
                        .toList(),
                    List.of("name")))
        .get("/api/global-parameters/{name}", Access.GLOBAL_POLICYMAKER, this::showGlobal)
        .put("/api/global-parameters/{name}", Access.GLOBAL_POLICYMAKER, this::putGlobal)
        .delete("/api/global-parameters/{name}", Access.GLOBAL_POLICYMAKER, this::deleteGlobal)
        .get("/api/vhost-limits", Access.MANAGEMENT, call -> limits(call, null))
        .get("/api/vhost-limits/{vhost}", Access.VHOST, call -> limits(call, call.vhost()))
        .put("/api/vhost-limits/{vhost}/{name}", Access.ADMINISTRATOR, this::putLimit)
        .delete("/api/vhost-limits/{vhost}/{name}", Access.ADMINISTRATOR, this::deleteLimit);
  }

  /** What a policymaker may see: the parameters of the vhosts it may open. */
  private List<Map<String, Object>> list(ApiCall call, Predicate<ParameterDefinition> which) {
    return broker.definitions().parameters().stream()
        .filter(which)
        .filter(p -> call.user().policymaker() && call.maySee(p.vhost()))
        .map(ParametersController::shape)
        .toList();
  }

  private ParameterDefinition find(ApiCall call) {
    ParameterDefinition parameter =
        broker
            .definitions()
            .parameter(call.parameter("component"), call.vhost(), call.parameter("name"));
    if (parameter == null) {
      throw ApiException.objectNotFound();
    }
    return parameter;
  }

  private Object show(ApiCall call) {
    return shape(find(call));
  }

  private Object put(ApiCall call) {
    String vhost = call.vhostForChange();
    String component = call.parameter("component");
    String name = call.parameter("name");
    call.requireFields("value");
    boolean existed = broker.definitions().parameter(component, vhost, name) != null;
    broker.changeDefinitions(
        List.of(
            new DefinitionChange.PutParameter(
                new ParameterDefinition(component, vhost, name, call.body().get("value")))));
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object delete(ApiCall call) {
    ParameterDefinition parameter = find(call);
    broker.changeDefinitions(
        List.of(
            new DefinitionChange.DeleteParameter(
                parameter.component(), parameter.vhost(), parameter.name())));
    return null;
  }

  private GlobalParameterDefinition global(ApiCall call) {
    GlobalParameterDefinition parameter =
        broker.definitions().globalParameter(call.parameter("name"));
    if (parameter == null) {
      throw ApiException.objectNotFound();
    }
    return parameter;
  }

  private Object showGlobal(ApiCall call) {
    return shape(global(call));
  }

  private Object putGlobal(ApiCall call) {
    String name = call.parameter("name");
    call.requireFields("value");
    boolean existed = broker.definitions().globalParameter(name) != null;
    broker.changeDefinitions(
        List.of(
            new DefinitionChange.PutGlobalParameter(
                new GlobalParameterDefinition(name, call.body().get("value")))));
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object deleteGlobal(ApiCall call) {
    broker.changeDefinitions(
        List.of(new DefinitionChange.DeleteGlobalParameter(global(call).name())));
    return null;
  }

  private Object limits(ApiCall call, String vhost) {
    return broker.definitions().parameters().stream()
        .filter(p -> p.component().equals(ParameterDefinition.VHOST_LIMITS))
        .filter(p -> vhost == null || p.vhost().equals(vhost))
        .filter(p -> call.maySee(p.vhost()))
        .map(
            p -> {
              Map<String, Object> shape = new LinkedHashMap<>();
              shape.put("vhost", p.vhost());
              shape.put("value", p.value());
              return shape;
            })
        .toList();
  }

  /** One limit of a vhost's {@code vhost-limits} parameter; the others are kept. */
  private Object putLimit(ApiCall call) {
    String vhost = call.vhostForChange();
    call.requireFields("value");
    Map<String, Object> limits = currentLimits(vhost);
    limits.put(call.parameter("name"), call.body().get("value"));
    broker.changeDefinitions(List.of(limitsChange(vhost, limits)));
    return null;
  }

  private Object deleteLimit(ApiCall call) {
    String vhost = call.vhostForChange();
    Map<String, Object> limits = currentLimits(vhost);
    if (limits.remove(call.parameter("name")) != null) {
      broker.changeDefinitions(List.of(limitsChange(vhost, limits)));
    }
    return null;
  }

  private Map<String, Object> currentLimits(String vhost) {
    ParameterDefinition current =
        broker
            .definitions()
            .parameter(ParameterDefinition.VHOST_LIMITS, vhost, ParameterDefinition.LIMITS_NAME);
    Map<String, Object> limits = new LinkedHashMap<>();
    if (current != null && current.value() instanceof Map<?, ?> values) {
      values.forEach((k, v) -> limits.put(String.valueOf(k), v));
    }
    return limits;
  }

  private static DefinitionChange limitsChange(String vhost, Map<String, Object> limits) {
    return limits.isEmpty()
        ? new DefinitionChange.DeleteParameter(
            ParameterDefinition.VHOST_LIMITS, vhost, ParameterDefinition.LIMITS_NAME)
        : new DefinitionChange.PutParameter(
            new ParameterDefinition(
                ParameterDefinition.VHOST_LIMITS, vhost, ParameterDefinition.LIMITS_NAME, limits));
  }

  static Map<String, Object> shape(ParameterDefinition parameter) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("value", parameter.value());
    shape.put("vhost", parameter.vhost());
    shape.put("component", parameter.component());
    shape.put("name", parameter.name());
    return shape;
  }

  static Map<String, Object> shape(GlobalParameterDefinition parameter) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("name", parameter.name());
    shape.put("value", parameter.value());
    return shape;
  }
}
