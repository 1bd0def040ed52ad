package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerIdentity;
import dev.warren.broker.engine.api.BrokerStatistics;
import dev.warren.broker.engine.api.ChurnStatistics;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.engine.api.MessageTotals;
import dev.warren.broker.engine.api.OverviewStatistics;
import dev.warren.broker.engine.api.QueueSnapshot;
import dev.warren.broker.engine.api.Rated;
import dev.warren.broker.engine.api.VirtualHostStatistics;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.Shapes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/overview}, {@code /api/whoami}, {@code /api/extensions}: the broker at a glance. */
public final class OverviewController implements Controller {
  private static final List<String> EXCHANGE_TYPES =
      List.of("direct", "fanout", "headers", "topic");

  private final BrokerAdmin broker;

  public OverviewController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/overview", Access.MANAGEMENT, this::overview)
        .get("/api/whoami", Access.MANAGEMENT, this::whoami)
        .get("/api/extensions", Access.MANAGEMENT, call -> List.of());
  }

  private Object overview(ApiCall call) {
    BrokerIdentity identity = broker.identity();
    Map<String, Object> overview = new LinkedHashMap<>();
    overview.put("management_version", identity.rabbitmqVersion());
    overview.put("rates_mode", "basic");
    overview.put(
        "sample_retention_policies",
        Map.of(
            "global",
            List.of(600, 3600, 28800, 86400),
            "basic",
            List.of(600, 3600),
            "detailed",
            List.of(600)));
    overview.put("exchange_types", exchangeTypes());
    overview.put("product_version", identity.productVersion());
    overview.put("product_name", identity.productName());
    overview.put("rabbitmq_version", identity.rabbitmqVersion());
    overview.put("cluster_name", NodesController.clusterName(broker));
    overview.put("disable_stats", false);
    overview.put("enable_queue_totals", false);
    BrokerStatistics statistics = broker.statistics();
    OverviewStatistics node = statistics.overview();
    List<VirtualHostStatistics> visible =
        call.user().monitoring()
            ? null
            : statistics.virtualHosts().stream().filter(v -> call.maySee(v.name())).toList();
    overview.put("message_stats", Shapes.messageStats(messageStats(node, visible)));
    overview.put("churn_rates", churnRates(node.churn()));
    overview.put("queue_totals", queueTotals(call, queueTotalRates(node, visible)));
    overview.put("object_totals", objectTotals(call));
    overview.put("statistics_db_event_queue", 0);
    if (call.user().monitoring()) {
      overview.put("node", identity.node());
      overview.put("listeners", listeners(identity.node()));
      overview.put("contexts", List.of());
    }
    return overview;
  }

  static List<Map<String, Object>> exchangeTypes() {
    List<Map<String, Object>> types = new ArrayList<>();
    for (String type : EXCHANGE_TYPES) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", type);
      entry.put("description", "AMQP " + type + " exchange, as per the AMQP specification");
      entry.put("enabled", true);
      types.add(entry);
    }
    return types;
  }

  /**
   * The node's counters for monitoring users, as RabbitMQ shows them; for others, the sum over the
   * vhosts they may see ({@code visible}).
   */
  private static Map<String, Rated> messageStats(
      OverviewStatistics node, List<VirtualHostStatistics> visible) {
    if (visible == null) {
      return node.messageStats().managementFields();
    }
    Map<String, Rated> sum = new LinkedHashMap<>();
    for (VirtualHostStatistics vhost : visible) {
      vhost
          .messageStats()
          .managementFields()
          .forEach((name, value) -> sum.merge(name, value, Rated::plus));
    }
    return sum;
  }

  private static MessageTotals queueTotalRates(
      OverviewStatistics node, List<VirtualHostStatistics> visible) {
    if (visible == null) {
      return node.queueTotals();
    }
    MessageTotals sum = MessageTotals.ZERO;
    for (VirtualHostStatistics vhost : visible) {
      MessageTotals totals = vhost.queueTotals();
      sum =
          new MessageTotals(
              sum.messages().plus(totals.messages()),
              sum.ready().plus(totals.ready()),
              sum.unacknowledged().plus(totals.unacknowledged()));
    }
    return sum;
  }

  /** RabbitMQ's {@code churn_rates}: the node's lifecycle events since it started. */
  static Map<String, Object> churnRates(ChurnStatistics churn) {
    Map<String, Object> rates = new LinkedHashMap<>();
    Shapes.rated(rates, "channel_closed", churn.channelsClosed());
    Shapes.rated(rates, "channel_created", churn.channelsOpened());
    Shapes.rated(rates, "connection_closed", churn.connectionsClosed());
    Shapes.rated(rates, "connection_created", churn.connectionsOpened());
    Shapes.rated(rates, "queue_created", churn.queuesCreated());
    Shapes.rated(rates, "queue_declared", churn.queuesDeclared());
    Shapes.rated(rates, "queue_deleted", churn.queuesDeleted());
    return rates;
  }

  /** Totals over the vhosts the user may see (all of them for monitoring users). */
  private Map<String, Object> queueTotals(ApiCall call, MessageTotals rates) {
    long ready = 0;
    long unacknowledged = 0;
    for (QueueSnapshot queue : broker.queues(null)) {
      if (call.maySee(queue.vhost())) {
        ready += queue.ready();
        unacknowledged += queue.unacknowledged();
      }
    }
    Map<String, Object> totals = new LinkedHashMap<>();
    Shapes.levels(totals, ready, unacknowledged, rates);
    return totals;
  }

  private Map<String, Object> objectTotals(ApiCall call) {
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put(
        "channels",
        broker.channels().stream()
            .filter(c -> call.maySee(c.vhost()) && call.maySeeOwnedBy(c.user()))
            .count());
    totals.put(
        "connections",
        broker.connections().stream()
            .filter(c -> call.maySee(c.vhost()) && call.maySeeOwnedBy(c.user()))
            .count());
    totals.put(
        "consumers", broker.consumers().stream().filter(c -> call.maySee(c.vhost())).count());
    totals.put(
        "exchanges", broker.exchanges(null).stream().filter(e -> call.maySee(e.vhost())).count());
    totals.put("queues", broker.queues(null).stream().filter(q -> call.maySee(q.vhost())).count());
    return totals;
  }

  private List<Map<String, Object>> listeners(String node) {
    List<Map<String, Object>> listeners = new ArrayList<>();
    List<ListenerInfo> sorted = new ArrayList<>(broker.listeners());
    sorted.sort(Comparator.comparing(ListenerInfo::protocol).thenComparing(ListenerInfo::port));
    for (ListenerInfo listener : sorted) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("node", node);
      entry.put("protocol", listener.protocol());
      entry.put("ip_address", listener.ipAddress());
      entry.put("port", listener.port());
      entry.put("socket_opts", Map.of());
      listeners.add(entry);
    }
    return listeners;
  }

  private Object whoami(ApiCall call) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("name", call.user().name());
    user.put("tags", call.user().tags());
    return user;
  }
}
