package dev.warren.broker.model;

import java.util.Map;
import java.util.Objects;

/**
 * What queue.declare fixed for the queue's whole life, the same whichever kind of queue keeps its
 * messages (a classic queue here, a quorum queue's log, a classic queue on another node): its name,
 * flags, declared arguments and the node whose client declared it.
 */
public abstract class DeclaredQueue implements Queue {
  private final String name;
  private final String virtualHost;
  private final boolean durable;
  private final boolean autoDelete;
  private final Object exclusiveOwner;
  private final Map<String, Object> arguments;
  private final QueueArguments parsedArguments;
  private final String homeNode;

  protected DeclaredQueue(
      String name,
      String virtualHost,
      boolean durable,
      boolean autoDelete,
      Object exclusiveOwner,
      Map<String, Object> arguments,
      String homeNode) {
    this.name = name;
    this.virtualHost = virtualHost;
    this.durable = durable;
    this.autoDelete = autoDelete;
    this.exclusiveOwner = exclusiveOwner;
    this.arguments = arguments;
    this.parsedArguments = QueueArguments.parse(arguments);
    this.homeNode = homeNode;
  }

  @Override
  public final String name() {
    return name;
  }

  /** The name of the virtual host the queue belongs to. */
  public final String virtualHost() {
    return virtualHost;
  }

  @Override
  public final boolean durable() {
    return durable;
  }

  @Override
  public final boolean autoDelete() {
    return autoDelete;
  }

  @Override
  public final Object exclusiveOwner() {
    return exclusiveOwner;
  }

  @Override
  public final Map<String, Object> arguments() {
    return arguments;
  }

  @Override
  public final QueueArguments parsedArguments() {
    return parsedArguments;
  }

  @Override
  public final String homeNode() {
    return homeNode;
  }

  @Override
  public final boolean accessibleTo(Object connection) {
    return exclusiveOwner == null || Objects.equals(exclusiveOwner, connection);
  }
}
