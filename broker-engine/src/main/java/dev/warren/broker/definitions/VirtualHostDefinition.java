package dev.warren.broker.definitions;

import java.util.List;

/**
 * A virtual host as RabbitMQ defines it.
 *
 * @param description free text
 * @param tags free labels
 * @param defaultQueueType "classic", or null when not set (RabbitMQ's "undefined")
 * @param tracing RabbitMQ's firehose tracing flag (kept and shown; Warren does not trace)
 */
public record VirtualHostDefinition(
    String name, String description, List<String> tags, String defaultQueueType, boolean tracing) {

  public VirtualHostDefinition {
    description = description == null ? "" : description;
    tags = List.copyOf(tags);
  }

  public static VirtualHostDefinition named(String name) {
    return new VirtualHostDefinition(name, "", List.of(), null, false);
  }
}
