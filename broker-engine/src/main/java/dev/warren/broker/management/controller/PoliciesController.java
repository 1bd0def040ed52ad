package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.ParameterDefinition;
import dev.warren.broker.definitions.PolicyDefinition;
import dev.warren.broker.definitions.PolicyRegistry;
import dev.warren.broker.definitions.PolicyValidator;
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
import java.util.stream.Stream;

/**
 * {@code /api/policies} (policymakers) and {@code /api/operator-policies} (administrators): list,
 * show, set (PUT, validated as RabbitMQ validates them), clear. Operator policies are kept as
 * parameters of component {@code operator_policy}, as RabbitMQ keeps them.
 */
public final class PoliciesController implements Controller {
  private static final List<String> SORT = List.of("vhost", "name");

  private final BrokerAdmin broker;

  public PoliciesController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/policies", Access.MANAGEMENT, call -> call.list(list(call, null, false), SORT))
        .get(
            "/api/policies/{vhost}",
            Access.POLICYMAKER,
            call -> call.list(list(call, call.vhost(), false), SORT))
        .get("/api/policies/{vhost}/{name}", Access.POLICYMAKER, call -> show(call, false))
        .put("/api/policies/{vhost}/{name}", Access.POLICYMAKER, call -> put(call, false))
        .delete("/api/policies/{vhost}/{name}", Access.POLICYMAKER, call -> delete(call, false))
        .get(
            "/api/operator-policies",
            Access.ADMINISTRATOR,
            call -> call.list(list(call, null, true), SORT))
        .get(
            "/api/operator-policies/{vhost}",
            Access.ADMINISTRATOR,
            call -> call.list(list(call, call.vhost(), true), SORT))
        .get(
            "/api/operator-policies/{vhost}/{name}", Access.ADMINISTRATOR, call -> show(call, true))
        .put("/api/operator-policies/{vhost}/{name}", Access.ADMINISTRATOR, call -> put(call, true))
        .delete(
            "/api/operator-policies/{vhost}/{name}",
            Access.ADMINISTRATOR,
            call -> delete(call, true));
  }

  private Stream<PolicyDefinition> all(boolean operator) {
    if (!operator) {
      return broker.definitions().policies().stream();
    }
    return broker.definitions().parameters().stream()
        .filter(p -> p.component().equals(ParameterDefinition.OPERATOR_POLICY))
        .map(PolicyRegistry::operatorPolicy);
  }

  /** A policymaker sees the policies of the vhosts it may open; others see none. */
  private List<Map<String, Object>> list(ApiCall call, String vhost, boolean operator) {
    return all(operator)
        .filter(p -> vhost == null || p.vhost().equals(vhost))
        .filter(p -> call.user().policymaker() && call.maySee(p.vhost()))
        .map(PoliciesController::shape)
        .toList();
  }

  private PolicyDefinition find(ApiCall call, boolean operator) {
    String vhost = call.vhost();
    String name = call.parameter("name");
    return all(operator)
        .filter(p -> p.vhost().equals(vhost) && p.name().equals(name))
        .findFirst()
        .orElseThrow(ApiException::objectNotFound);
  }

  private Object show(ApiCall call, boolean operator) {
    return shape(find(call, operator));
  }

  private Object put(ApiCall call, boolean operator) {
    String vhost = call.vhostForChange();
    String name = call.parameter("name");
    call.requireFields("pattern", "definition");
    Object priority = call.body().containsKey("priority") ? call.body().get("priority") : 0L;
    Object applyTo = call.body().get("apply-to");
    PolicyValidator.check(
        operator, call.body().get("pattern"), applyTo, priority, call.body().get("definition"));
    boolean existed = all(operator).anyMatch(p -> p.vhost().equals(vhost) && p.name().equals(name));
    PolicyDefinition policy =
        new PolicyDefinition(
            vhost,
            name,
            (String) call.body().get("pattern"),
            applyTo == null ? "all" : (String) applyTo,
            ((Long) priority).intValue(),
            call.object("definition"));
    DefinitionChange change =
        operator
            ? new DefinitionChange.PutParameter(
                new ParameterDefinition(
                    ParameterDefinition.OPERATOR_POLICY, vhost, name, operatorValue(policy)))
            : new DefinitionChange.PutPolicy(policy);
    broker.changeDefinitions(List.of(change));
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object delete(ApiCall call, boolean operator) {
    PolicyDefinition policy = find(call, operator);
    broker.changeDefinitions(
        List.of(
            operator
                ? new DefinitionChange.DeleteParameter(
                    ParameterDefinition.OPERATOR_POLICY, policy.vhost(), policy.name())
                : new DefinitionChange.DeletePolicy(policy.vhost(), policy.name())));
    return null;
  }

  /** An operator policy's parameter value, as RabbitMQ stores and exports it. */
  private static Map<String, Object> operatorValue(PolicyDefinition policy) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("pattern", policy.pattern());
    value.put("definition", policy.definition());
    value.put("priority", (long) policy.priority());
    value.put("apply-to", policy.applyTo());
    return value;
  }

  static Map<String, Object> shape(PolicyDefinition policy) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("vhost", policy.vhost());
    shape.put("name", policy.name());
    shape.put("pattern", policy.pattern());
    shape.put("apply-to", policy.applyTo());
    shape.put("definition", policy.definition());
    shape.put("priority", policy.priority());
    return shape;
  }
}
