package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.PermissionDefinition;
import dev.warren.broker.definitions.VirtualHostDefinition;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.MessageTotals;
import dev.warren.broker.engine.api.QueueSnapshot;
import dev.warren.broker.engine.api.VirtualHostStatistics;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/vhosts}: list, show, create or update (PUT), delete (its connections are closed, its
 * queues and exchanges deleted).
 */
public final class VhostsController implements Controller {
  private static final List<String> SORT = List.of("name");

  private final BrokerAdmin broker;

  public VhostsController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/vhosts", Access.MANAGEMENT, this::list)
        .get("/api/vhosts/{vhost}", Access.VHOST, call -> shape(definition(call)))
        .put("/api/vhosts/{vhost}", Access.ADMINISTRATOR, this::put)
        .delete("/api/vhosts/{vhost}", Access.ADMINISTRATOR, this::delete);
  }

  private Object list(ApiCall call) {
    return call.list(
        broker.definitions().virtualHosts().stream()
            .filter(v -> call.maySee(v.name()))
            .map(this::shape)
            .toList(),
        SORT);
  }

  private VirtualHostDefinition definition(ApiCall call) {
    return broker.definitions().virtualHost(call.vhost());
  }

  private Object put(ApiCall call) {
    String name = call.parameter("vhost");
    VirtualHostDefinition existing = broker.definitions().virtualHost(name);
    Object tags = call.body().get("tags");
    VirtualHostDefinition updated =
        new VirtualHostDefinition(
            name,
            call.text("description", existing == null ? "" : existing.description()),
            tags == null ? (existing == null ? List.of() : existing.tags()) : tags(tags),
            call.text("default_queue_type", existing == null ? null : existing.defaultQueueType()),
            call.flag("tracing", existing != null && existing.tracing()));
    List<DefinitionChange> changes = new ArrayList<>();
    changes.add(new DefinitionChange.PutVirtualHost(updated));
    if (existing == null) {
      changes.add(fullPermissions(call.user().name(), name));
    }
    broker.changeDefinitions(changes);
    return HttpResponse.empty(existing == null ? 201 : 204);
  }

  private Object delete(ApiCall call) {
    String name = call.parameter("vhost");
    if (broker.definitions().virtualHost(name) == null) {
      throw ApiException.objectNotFound();
    }
    broker.changeDefinitions(List.of(new DefinitionChange.DeleteVirtualHost(name)));
    return null;
  }

  /** RabbitMQ grants whoever creates a vhost through the API all permissions in it. */
  static DefinitionChange fullPermissions(String user, String vhost) {
    return new DefinitionChange.PutPermission(
        new PermissionDefinition(user, vhost, ".*", ".*", ".*"));
  }

  /** Tags as a list, or RabbitMQ's comma-separated string. */
  static List<String> tags(Object value) {
    List<String> tags = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(tag -> tags.add(String.valueOf(tag)));
    } else {
      for (String tag : String.valueOf(value).split(",")) {
        if (!tag.isBlank()) {
          tags.add(tag.trim());
        }
      }
    }
    return tags;
  }

  private Map<String, Object> shape(VirtualHostDefinition vhost) {
    long ready = 0;
    long unacknowledged = 0;
    for (QueueSnapshot queue : broker.queues(vhost.name())) {
      ready += queue.ready();
      unacknowledged += queue.unacknowledged();
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("description", vhost.description());
    metadata.put("tags", vhost.tags());
    if (vhost.defaultQueueType() != null) {
      metadata.put("default_queue_type", vhost.defaultQueueType());
    }
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("cluster_state", Map.of(broker.identity().node(), "running"));
    shape.put(
        "default_queue_type",
        vhost.defaultQueueType() == null ? "undefined" : vhost.defaultQueueType());
    shape.put("description", vhost.description());
    VirtualHostStatistics statistics = broker.statistics().virtualHost(vhost.name()).orElse(null);
    if (statistics != null) {
      Shapes.messageStats(shape, statistics.messageStats().managementFields());
    }
    Shapes.levels(
        shape,
        ready,
        unacknowledged,
        statistics == null ? MessageTotals.ZERO : statistics.queueTotals());
    shape.put("metadata", metadata);
    shape.put("name", vhost.name());
    if (statistics != null) {
      Shapes.rated(shape, "recv_oct", statistics.octetsReceived());
      Shapes.rated(shape, "send_oct", statistics.octetsSent());
    }
    shape.put("tags", vhost.tags());
    shape.put("tracing", vhost.tracing());
    return shape;
  }
}
