package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsDocument;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.TopologyDefinition;
import dev.warren.broker.definitions.VirtualHostDefinition;
import dev.warren.broker.engine.api.BindingSnapshot;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerIdentity;
import dev.warren.broker.engine.api.ExchangeSnapshot;
import dev.warren.broker.engine.api.QueueSnapshot;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.AmqpJson;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/definitions}: export and import in RabbitMQ's format, for the whole broker or one
 * vhost. The export holds password hashes, never passwords; it leaves out the default and {@code
 * amq.*} exchanges, exclusive queues and the default exchange's implicit bindings, as RabbitMQ's
 * does. An import declares users, vhosts, permissions, parameters and policies (all or none), then
 * exchanges, queues and bindings, skipping those that exist.
 */
public final class DefinitionsController implements Controller {
  private final BrokerAdmin broker;

  public DefinitionsController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/definitions", Access.ADMINISTRATOR, call -> download(call, all()))
        .post("/api/definitions", Access.ADMINISTRATOR, call -> load(call, null))
        .get(
            "/api/definitions/{vhost}",
            Access.ADMINISTRATOR,
            call -> download(call, ofVhost(call.vhost())))
        .post(
            "/api/definitions/{vhost}",
            Access.ADMINISTRATOR,
            call -> load(call, call.vhostForChange()))
        .get("/api/all-configuration", Access.ADMINISTRATOR, call -> download(call, all()));
  }

  /** With {@code ?download=name}, the browser is told to save it as that file. */
  private static Object download(ApiCall call, Map<String, Object> definitions) {
    String file = call.query("download");
    if (file == null) {
      return definitions;
    }
    return HttpResponse.json(200, definitions)
        .withHeader(
            "Content-Disposition", "attachment; filename=\"" + file.replace("\"", "") + "\"");
  }

  private Object load(ApiCall call, String vhost) {
    DefinitionsDocument document;
    try {
      document =
          DefinitionsDocument.parse(
              new String(call.request().body(), StandardCharsets.UTF_8), vhost);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("failed_to_parse_json: " + e.getMessage());
    }
    if (vhost != null) {
      // one vhost's import: its parameters, policies and topology only, as RabbitMQ's
      document =
          new DefinitionsDocument(
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              document.parameters(),
              List.of(),
              document.policies(),
              document.queues(),
              document.exchanges(),
              document.bindings());
    }
    List<DefinitionChange> changes = new ArrayList<>(document.changes());
    for (VirtualHostDefinition created : document.vhosts()) {
      if (broker.definitions().virtualHost(created.name()) == null) {
        // as RabbitMQ's import: the importing user may use the vhosts it creates
        changes.add(VhostsController.fullPermissions(call.user().name(), created.name()));
      }
    }
    broker.changeDefinitions(changes);
    List<TopologyDefinition> topology = new ArrayList<>();
    topology.addAll(document.exchanges());
    topology.addAll(document.queues());
    topology.addAll(document.bindings());
    broker.declareTopology(topology);
    return null;
  }

  private Map<String, Object> all() {
    DefinitionsState state = broker.definitions();
    BrokerIdentity identity = broker.identity();
    Map<String, Object> definitions = new LinkedHashMap<>();
    definitions.put("rabbit_version", identity.rabbitmqVersion());
    definitions.put("rabbitmq_version", identity.rabbitmqVersion());
    definitions.put("product_name", identity.productName());
    definitions.put("product_version", identity.productVersion());
    definitions.put("users", state.users().stream().map(UsersController::shape).toList());
    definitions.put(
        "vhosts", state.virtualHosts().stream().map(v -> Map.of("name", v.name())).toList());
    definitions.put(
        "permissions", state.permissions().stream().map(PermissionsController::shape).toList());
    definitions.put(
        "topic_permissions",
        state.topicPermissions().stream().map(PermissionsController::shape).toList());
    definitions.put(
        "parameters", state.parameters().stream().map(ParametersController::shape).toList());
    definitions.put(
        "global_parameters",
        state.globalParameters().stream().map(ParametersController::shape).toList());
    definitions.put("policies", state.policies().stream().map(PoliciesController::shape).toList());
    topology(definitions, null, false);
    return definitions;
  }

  private Map<String, Object> ofVhost(String vhost) {
    DefinitionsState state = broker.definitions();
    Map<String, Object> definitions = new LinkedHashMap<>();
    definitions.put("rabbit_version", broker.identity().rabbitmqVersion());
    definitions.put(
        "parameters",
        state.parameters().stream()
            .filter(p -> p.vhost().equals(vhost))
            .map(ParametersController::shape)
            .toList());
    definitions.put(
        "policies",
        state.policies().stream()
            .filter(p -> p.vhost().equals(vhost))
            .map(p -> withoutVhost(PoliciesController.shape(p)))
            .toList());
    topology(definitions, vhost, true);
    return definitions;
  }

  /** Queues, exchanges and bindings as RabbitMQ exports them. */
  private void topology(Map<String, Object> definitions, String vhost, boolean stripVhost) {
    List<Map<String, Object>> queues = new ArrayList<>();
    Set<String> exported = new HashSet<>();
    for (QueueSnapshot q : broker.queues(vhost)) {
      if (q.exclusive()) {
        continue;
      }
      exported.add(q.vhost() + "\u0000" + q.name());
      Map<String, Object> queue = new LinkedHashMap<>();
      queue.put("name", q.name());
      queue.put("vhost", q.vhost());
      queue.put("durable", q.durable());
      queue.put("auto_delete", q.autoDelete());
      queue.put("arguments", AmqpJson.table(q.arguments()));
      queues.add(stripVhost ? withoutVhost(queue) : queue);
    }
    List<Map<String, Object>> exchanges = new ArrayList<>();
    for (ExchangeSnapshot e : broker.exchanges(vhost)) {
      if (e.name().isEmpty() || e.name().startsWith("amq.")) {
        continue;
      }
      Map<String, Object> exchange = new LinkedHashMap<>();
      exchange.put("name", e.name());
      exchange.put("vhost", e.vhost());
      exchange.put("type", e.type());
      exchange.put("durable", e.durable());
      exchange.put("auto_delete", e.autoDelete());
      exchange.put("internal", e.internal());
      exchange.put("arguments", AmqpJson.table(e.arguments()));
      exchanges.add(stripVhost ? withoutVhost(exchange) : exchange);
    }
    List<Map<String, Object>> bindings = new ArrayList<>();
    for (BindingSnapshot b : broker.bindings(vhost)) {
      boolean destinationExported =
          b.toQueue() ? exported.contains(b.vhost() + "\u0000" + b.destination()) : true;
      if (b.source().isEmpty() || !destinationExported) {
        continue;
      }
      Map<String, Object> binding = new LinkedHashMap<>();
      binding.put("source", b.source());
      binding.put("vhost", b.vhost());
      binding.put("destination", b.destination());
      binding.put("destination_type", b.toQueue() ? "queue" : "exchange");
      binding.put("routing_key", b.routingKey());
      binding.put("arguments", AmqpJson.table(b.arguments()));
      bindings.add(stripVhost ? withoutVhost(binding) : binding);
    }
    definitions.put("queues", queues);
    definitions.put("exchanges", exchanges);
    definitions.put("bindings", bindings);
  }

  private static Map<String, Object> withoutVhost(Map<String, Object> item) {
    Map<String, Object> copy = new LinkedHashMap<>(item);
    copy.remove("vhost");
    return copy;
  }
}
