package dev.warren.broker.server;

import dev.warren.broker.engine.BrokerVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-properties table of connection.start, shaped like RabbitMQ's. {@code version} is the
 * RabbitMQ release Warren behaves as (clients compare it to switch features); Warren's own release
 * goes in {@code product_version}.
 */
final class ServerProperties {

  private ServerProperties() {}

  static Map<String, Object> table() {
    return table(null);
  }

  /** With the cluster's name as RabbitMQ sends it ({@code cluster_name}), if the node has one. */
  static Map<String, Object> table(String clusterName) {
    Map<String, Object> properties = new LinkedHashMap<>();
    if (clusterName != null) {
      properties.put("cluster_name", clusterName);
    }
    properties.put("product", BrokerVersion.PRODUCT);
    properties.put("version", BrokerVersion.RABBITMQ);
    properties.put("product_version", BrokerVersion.warren());
    properties.put("platform", "Java " + Runtime.version().feature());
    properties.put("copyright", "Copyright (c) the Warren authors");
    properties.put("information", "An AMQP 0-9-1 broker compatible with RabbitMQ clients");
    properties.put("capabilities", capabilities());
    return properties;
  }

  /** Only what Warren really does: clients switch features on from this table. */
  private static Map<String, Object> capabilities() {
    Map<String, Object> capabilities = new LinkedHashMap<>();
    capabilities.put("publisher_confirms", true);
    capabilities.put("exchange_exchange_bindings", true);
    capabilities.put("basic.nack", true);
    capabilities.put("consumer_cancel_notify", true);
    capabilities.put("connection.blocked", true);
    capabilities.put("consumer_priorities", true);
    capabilities.put("authentication_failure_close", true);
    capabilities.put("per_consumer_qos", true);
    capabilities.put("direct_reply_to", true);
    return capabilities;
  }
}
