package dev.warren.broker.definitions;

import java.util.Map;

/**
 * A policy (or an operator policy) as RabbitMQ defines it: the queues and exchanges whose names
 * match {@code pattern} (a regular expression, matched anywhere) and that {@code applyTo} covers
 * get the keys of {@code definition}; of several matching, the highest {@code priority} wins.
 *
 * @param applyTo "all", "queues", "exchanges", "classic_queues", "quorum_queues" or "streams"
 */
public record PolicyDefinition(
    String vhost,
    String name,
    String pattern,
    String applyTo,
    int priority,
    Map<String, Object> definition) {

  public PolicyDefinition {
    definition = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(definition));
  }
}
