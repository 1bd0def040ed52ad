package dev.warren.broker.prometheus;

import static dev.warren.broker.engine.api.MessageCounter.ACK;
import static dev.warren.broker.engine.api.MessageCounter.CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.DROP_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.GET;
import static dev.warren.broker.engine.api.MessageCounter.GET_EMPTY;
import static dev.warren.broker.engine.api.MessageCounter.GET_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH_CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.REDELIVER;
import static dev.warren.broker.engine.api.MessageCounter.RETURN_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.ROUTED;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerIdentity;
import dev.warren.broker.engine.api.ChurnStatistics;
import dev.warren.broker.engine.api.MessageSizeHistogram;
import dev.warren.broker.engine.api.MessageStats;
import dev.warren.broker.engine.api.NodeResources;
import dev.warren.broker.engine.api.NodeStatistics;
import dev.warren.broker.engine.api.ObjectTotals;
import dev.warren.broker.engine.api.OverviewStatistics;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The node's families, in RabbitMQ's names (rabbitmq_prometheus): identity and build, object totals
 * and churn, memory, disk, file descriptors and uptime, the {@code rabbitmq_global_*} message
 * counters and the message size histogram.
 */
final class NodeMetrics {
  /** The protocol label of the global counters: AMQP 0-9-1 is the only one Warren speaks. */
  static final String PROTOCOL = "amqp091";

  /**
   * RabbitMQ counts deliveries per queue type; Warren's channels count them together, under the
   * classic type (the other types' series are there, at zero, for dashboards that select them).
   */
  private static final List<String> QUEUE_TYPES =
      List.of("rabbit_classic_queue", "rabbit_quorum_queue", "rabbit_stream_queue");

  private static final String PROMETHEUS_CLIENT_VERSION = "1.10.0";

  private NodeMetrics() {}

  static void identity(BrokerAdmin broker, String endpoint, Families out) {
    BrokerIdentity identity = broker.identity();
    out.info(
        "rabbitmq_build_info",
        "RabbitMQ & Erlang/OTP version info",
        "rabbitmq_version",
        identity.rabbitmqVersion(),
        "prometheus_plugin_version",
        identity.productVersion(),
        "prometheus_client_version",
        PROMETHEUS_CLIENT_VERSION,
        // the runtime's version: Warren's runtime is a JVM, not Erlang/OTP
        "erlang_version",
        String.valueOf(Runtime.version().feature()),
        "product_name",
        identity.productName(),
        "product_version",
        identity.productVersion());
    String cluster = broker.clusterName();
    out.info(
        "rabbitmq_identity_info",
        "RabbitMQ node & cluster identity info",
        "rabbitmq_node",
        identity.node(),
        "rabbitmq_cluster",
        cluster,
        "rabbitmq_cluster_permanent_id",
        permanentId(cluster),
        "rabbitmq_endpoint",
        endpoint);
  }

  /** A stable id derived from the cluster's name (RabbitMQ stores a random one). */
  private static String permanentId(String cluster) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(cluster.getBytes(StandardCharsets.UTF_8));
      return "rabbitmq-cluster-id-"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static void node(NodeStatistics node, ObjectTotals objects, ChurnStatistics churn, Families out) {
    out.gauge("rabbitmq_connections", "Connections currently open", objects.connections());
    out.gauge("rabbitmq_channels", "Channels currently open", objects.channels());
    out.gauge("rabbitmq_consumers", "Consumers currently connected", objects.consumers());
    out.gauge("rabbitmq_queues", "Queues available", objects.queues());
    churn(churn, out);
    NodeResources resources = node.resources();
    out.gauge("rabbitmq_process_open_fds", "Open file descriptors", node.fileDescriptorsUsed());
    out.gauge(
        "rabbitmq_process_max_fds", "Open file descriptors limit", node.fileDescriptorsLimit());
    out.gauge(
        "rabbitmq_process_resident_memory_bytes", "Memory used in bytes", resources.memoryUsed());
    out.gauge(
        "rabbitmq_resident_memory_limit_bytes",
        "Memory high watermark in bytes",
        resources.memoryLimit());
    out.gauge(
        "rabbitmq_disk_space_available_bytes",
        "Disk space available in bytes",
        resources.diskFree());
    out.gauge(
        "rabbitmq_disk_space_available_limit_bytes",
        "Free disk space low watermark in bytes",
        resources.diskFreeLimit());
    out.gauge("rabbitmq_erlang_uptime_seconds", "Node uptime", node.uptimeMillis() / 1000.0);
    out.untyped(
        "rabbitmq_alarms_memory_used_watermark",
        "is 1 if VM memory watermark alarm is in effect",
        resources.memoryAlarm() ? 1 : 0);
    out.untyped(
        "rabbitmq_alarms_free_disk_space_watermark",
        "is 1 if free disk space watermark alarm is in effect",
        resources.diskAlarm() ? 1 : 0);
    // Warren has no file descriptor alarm: its sockets are limited by --max-connections
    out.untyped(
        "rabbitmq_alarms_file_descriptor_limit",
        "is 1 if file descriptor limit alarm is in effect",
        0);
  }

  private static void churn(ChurnStatistics churn, Families out) {
    out.counter(
        "rabbitmq_connections_opened",
        "Total number of connections opened",
        churn.connectionsOpened().value());
    out.counter(
        "rabbitmq_connections_closed",
        "Total number of connections closed or terminated",
        churn.connectionsClosed().value());
    out.counter(
        "rabbitmq_channels_opened",
        "Total number of channels opened",
        churn.channelsOpened().value());
    out.counter(
        "rabbitmq_channels_closed",
        "Total number of channels closed",
        churn.channelsClosed().value());
    out.counter(
        "rabbitmq_queues_declared",
        "Total number of queues declared",
        churn.queuesDeclared().value());
    out.counter(
        "rabbitmq_queues_created", "Total number of queues created", churn.queuesCreated().value());
    out.counter(
        "rabbitmq_queues_deleted", "Total number of queues deleted", churn.queuesDeleted().value());
  }

  /** The {@code rabbitmq_global_*} family: the node's message counters since it started. */
  static void global(OverviewStatistics overview, Families out) {
    MessageStats stats = overview.messageStats();
    String[] protocol = {"protocol", PROTOCOL};
    out.counter(
        "rabbitmq_global_messages_received",
        "Total number of messages received from publishers",
        stats.count(PUBLISH),
        protocol);
    out.counter(
        "rabbitmq_global_messages_received_confirm",
        "Total number of messages received from publishers expecting confirmations",
        stats.count(PUBLISH_CONFIRM),
        protocol);
    out.counter(
        "rabbitmq_global_messages_routed",
        "Total number of messages routed to queues or streams",
        stats.count(ROUTED),
        protocol);
    out.counter(
        "rabbitmq_global_messages_unroutable_dropped",
        "Total number of messages published as non-mandatory into an exchange and dropped as"
            + " unroutable",
        stats.count(DROP_UNROUTABLE),
        protocol);
    out.counter(
        "rabbitmq_global_messages_unroutable_returned",
        "Total number of messages published as mandatory into an exchange and returned to the"
            + " publisher as unroutable",
        stats.count(RETURN_UNROUTABLE),
        protocol);
    out.counter(
        "rabbitmq_global_messages_confirmed",
        "Total number of messages confirmed to publishers",
        stats.count(CONFIRM),
        protocol);
    out.gauge(
        "rabbitmq_global_publishers",
        "Current number of publishers",
        overview.objectTotals().publishers(),
        protocol);
    out.gauge(
        "rabbitmq_global_consumers",
        "Current number of consumers",
        overview.objectTotals().consumers(),
        protocol);
    for (String queueType : QUEUE_TYPES) {
      perQueueType(queueType.equals(QUEUE_TYPES.get(0)) ? stats : null, queueType, out);
    }
  }

  private static void perQueueType(MessageStats stats, String queueType, Families out) {
    String[] labels = {"protocol", PROTOCOL, "queue_type", queueType};
    out.counter(
        "rabbitmq_global_messages_delivered",
        "Total number of messages delivered to consumers",
        stats == null ? 0 : stats.deliverGet().value(),
        labels);
    out.counter(
        "rabbitmq_global_messages_delivered_consume_manual_ack",
        "Total number of messages delivered to consumers using basic.consume with manual"
            + " acknowledgment",
        stats == null ? 0 : stats.count(DELIVER),
        labels);
    out.counter(
        "rabbitmq_global_messages_delivered_consume_auto_ack",
        "Total number of messages delivered to consumers using basic.consume with automatic"
            + " acknowledgment",
        stats == null ? 0 : stats.count(DELIVER_NO_ACK),
        labels);
    out.counter(
        "rabbitmq_global_messages_delivered_get_manual_ack",
        "Total number of messages delivered to consumers using basic.get with manual"
            + " acknowledgment",
        stats == null ? 0 : stats.count(GET),
        labels);
    out.counter(
        "rabbitmq_global_messages_delivered_get_auto_ack",
        "Total number of messages delivered to consumers using basic.get with automatic"
            + " acknowledgment",
        stats == null ? 0 : stats.count(GET_NO_ACK),
        labels);
    out.counter(
        "rabbitmq_global_messages_get_empty",
        "Total number of times basic.get operations fetched no message",
        stats == null ? 0 : stats.count(GET_EMPTY),
        labels);
    out.counter(
        "rabbitmq_global_messages_redelivered",
        "Total number of messages redelivered to consumers",
        stats == null ? 0 : stats.count(REDELIVER),
        labels);
    out.counter(
        "rabbitmq_global_messages_acknowledged",
        "Total number of messages acknowledged by consumers",
        stats == null ? 0 : stats.count(ACK),
        labels);
  }

  /** {@code rabbitmq_message_size_bytes}: body sizes of published messages, RabbitMQ's buckets. */
  static HistogramSnapshot messageSizes(MessageSizeHistogram sizes) {
    int buckets = sizes.counts().size();
    double[] bounds = new double[buckets];
    long[] counts = new long[buckets];
    for (int i = 0; i < buckets; i++) {
      bounds[i] =
          i < sizes.upperBounds().size() ? sizes.upperBounds().get(i) : Double.POSITIVE_INFINITY;
      counts[i] = sizes.counts().get(i);
    }
    return HistogramSnapshot.builder()
        .name("rabbitmq_message_size_bytes")
        .help("Size of messages received from publishers")
        .dataPoint(
            HistogramDataPointSnapshot.builder()
                .labels(Labels.of("protocol", PROTOCOL))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(sizes.sum())
                .build())
        .build();
  }
}
