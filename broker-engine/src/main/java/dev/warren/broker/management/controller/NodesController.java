package dev.warren.broker.management.controller;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.GlobalParameterDefinition;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerIdentity;
import dev.warren.broker.engine.api.ClusterStatus;
import dev.warren.broker.engine.api.NodeResources;
import dev.warren.broker.engine.api.NodeStatistics;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/nodes} (this broker, or every member of its cluster as this node sees them), {@code
 * /api/cluster-name} and {@code /api/auth}.
 */
public final class NodesController implements Controller {
  private final BrokerAdmin broker;

  public NodesController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/nodes", Access.MONITORING, call -> call.list(nodes(), List.of("name")))
        .get("/api/nodes/{node}", Access.MONITORING, this::show)
        .get("/api/cluster-name", Access.MANAGEMENT, call -> Map.of("name", clusterName(broker)))
        .put("/api/cluster-name", Access.ADMINISTRATOR, this::rename)
        .get("/api/auth", Access.NONE, call -> auth());
  }

  /** The {@code cluster_name} global parameter, or the node's name as RabbitMQ defaults it. */
  static String clusterName(BrokerAdmin broker) {
    return broker.clusterName();
  }

  private Object show(ApiCall call) {
    return nodes().stream()
        .filter(node -> node.get("name").equals(call.parameter("node")))
        .findFirst()
        .orElseThrow(ApiException::objectNotFound);
  }

  /**
   * This node in full; in a cluster, the other members too, with what this node knows of them:
   * {@code running} is whether it heard from them lately (a follower hears only from the leader).
   */
  private List<Map<String, Object>> nodes() {
    Optional<ClusterStatus> cluster = broker.cluster();
    if (cluster.isEmpty()) {
      return List.of(node());
    }
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (ClusterStatus.Member member : cluster.get().members()) {
      if (member.id().equals(cluster.get().node())) {
        nodes.add(node());
      } else {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("name", member.id());
        other.put("type", "disc");
        other.put("running", member.reachable());
        other.put("cluster_role", member.role());
        nodes.add(other);
      }
    }
    return nodes;
  }

  private Object rename(ApiCall call) {
    call.requireFields("name");
    broker.changeDefinitions(
        List.of(
            new DefinitionChange.PutGlobalParameter(
                new GlobalParameterDefinition(
                    GlobalParameterDefinition.CLUSTER_NAME, call.text("name", "")))));
    return null;
  }

  /** Password logins only: no OAuth 2 (UAA) as RabbitMQ's plugin reports without it. */
  private static Object auth() {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("enable_uaa", false);
    auth.put("uaa_client_id", "");
    auth.put("uaa_location", "");
    return auth;
  }

  private Map<String, Object> node() {
    BrokerIdentity identity = broker.identity();
    NodeResources resources = broker.resources();
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("name", identity.node());
    node.put("type", "disc");
    node.put("running", true);
    broker.cluster().ifPresent(cluster -> node.put("cluster_role", role(cluster)));
    node.put("uptime", System.currentTimeMillis() - identity.startedAt());
    node.put("processors", Runtime.getRuntime().availableProcessors());
    node.put("os_pid", String.valueOf(ProcessHandle.current().pid()));
    node.put("rates_mode", "basic");
    node.put("mem_used", resources.memoryUsed());
    node.put("mem_limit", resources.memoryLimit());
    node.put("mem_alarm", resources.memoryAlarm());
    node.put("mem_calculation_strategy", "heap");
    node.put("disk_free", resources.diskFree());
    node.put("disk_free_limit", resources.diskFreeLimit());
    node.put("disk_free_alarm", resources.diskAlarm());
    NodeStatistics statistics = broker.statistics().node();
    node.put("fd_used", statistics.fileDescriptorsUsed());
    node.put("fd_total", statistics.fileDescriptorsLimit());
    node.putAll(OverviewController.churnRates(broker.statistics().overview().churn()));
    node.put("partitions", List.of());
    node.put("enabled_plugins", List.of("rabbitmq_management"));
    node.put("exchange_types", OverviewController.exchangeTypes());
    node.put("auth_mechanisms", authMechanisms());
    node.put("contexts", List.of());
    return node;
  }

  private static String role(ClusterStatus cluster) {
    return cluster.node().equals(cluster.leader()) ? "leader" : "follower";
  }

  private static List<Map<String, Object>> authMechanisms() {
    return List.of(
        mechanism("PLAIN", "SASL PLAIN authentication mechanism"),
        mechanism("AMQPLAIN", "QPid AMQPLAIN mechanism"),
        mechanism("EXTERNAL", "SASL EXTERNAL authentication mechanism (client certificate)"));
  }

  private static Map<String, Object> mechanism(String name, String description) {
    Map<String, Object> mechanism = new LinkedHashMap<>();
    mechanism.put("name", name);
    mechanism.put("description", description);
    mechanism.put("enabled", true);
    return mechanism;
  }
}
