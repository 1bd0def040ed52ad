package dev.warren.broker.engine.api;

import java.util.Map;

/** queue.declare's arguments, less passive (see {@link BrokerChannel#checkQueue}). */
public record QueueDeclaration(
    String name,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    Map<String, Object> arguments) {

  public QueueDeclaration {
    arguments = arguments == null ? Map.of() : arguments;
  }
}
