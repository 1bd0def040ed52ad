package dev.warren.broker.definitions;

import java.util.Map;

/** The queues, exchanges and bindings of a definitions document (RabbitMQ's export format). */
public sealed interface TopologyDefinition {

  String vhost();

  record Queue(
      String vhost, String name, boolean durable, boolean autoDelete, Map<String, Object> arguments)
      implements TopologyDefinition {}

  record Exchange(
      String vhost,
      String name,
      String type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments)
      implements TopologyDefinition {}

  /**
   * @param destinationType "queue" or "exchange"
   */
  record Binding(
      String vhost,
      String source,
      String destination,
      String destinationType,
      String routingKey,
      Map<String, Object> arguments)
      implements TopologyDefinition {}
}
