package dev.warren.broker.model;

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
   * The queue on this node, made when the cluster's metadata log applies its declaration.
   *
   * @param home the node whose client declared it
   */
  Queue create(VirtualHost host, String name, Map<String, Object> arguments, String home);
}
