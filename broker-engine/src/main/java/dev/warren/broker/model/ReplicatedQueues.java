package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.QueueDeclaration;
import java.util.Map;

/**
 * Makes the queues whose messages a replicated log keeps ({@code x-queue-type: quorum}); only a
 * cluster node has one (see {@link VirtualHost#replicateQueues}). Without it such a declaration
 * makes a classic queue, as Warren on its own always did.
 */
public interface ReplicatedQueues {

  /** Whether a declaration with these arguments asks for a replicated queue. */
  static boolean requested(Map<String, Object> arguments) {
    return "quorum".equals(QueueArguments.textValue(arguments.get("x-queue-type")));
  }

  /**
   * RabbitMQ's checks of a new quorum queue's declaration ({@code rabbit_quorum_queue}), in its
   * order: 406 for auto-delete, exclusive and non-durable.
   *
   * @param resource the queue as RabbitMQ names it in texts ("queue 'q' in vhost '/'")
   */
  static void checkDeclaration(QueueDeclaration declaration, String resource) {
    if (declaration.autoDelete()) {
      throw BrokerException.preconditionFailed("invalid property 'auto-delete' for " + resource);
    }
    if (declaration.exclusive()) {
      throw BrokerException.preconditionFailed(
          "invalid property 'exclusive-owner' for " + resource);
    }
    if (!declaration.durable()) {
      throw BrokerException.preconditionFailed("invalid property 'non-durable' for " + resource);
    }
  }

  /**
   * The queue on this node, made when the cluster's metadata log applies its declaration.
   *
   * @param home the node whose client declared it
   */
  Queue create(VirtualHost host, String name, Map<String, Object> arguments, String home);
}
