package dev.warren.broker.model;

import java.util.Map;

/**
 * Makes this node's stand-in for a classic queue that lives on another cluster node: the node whose
 * client declared it keeps its messages, the others reach it by forwarding (as a RabbitMQ cluster
 * does). Only a cluster node has one (see {@link VirtualHost#forwardQueues}).
 */
public interface ForwardedQueues {

  /**
   * The queue on this node, made when the cluster's metadata log applies its declaration.
   *
   * @param owner the connection an exclusive queue belongs to, or null
   * @param home the node whose client declared it, which keeps its messages
   */
  Queue create(
      VirtualHost host,
      String name,
      boolean durable,
      boolean autoDelete,
      Object owner,
      Map<String, Object> arguments,
      String home);
}
