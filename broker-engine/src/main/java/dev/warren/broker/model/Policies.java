package dev.warren.broker.model;

import java.util.Map;

/**
 * Where a virtual host finds the policy definition that applies to one of its queues or exchanges
 * now: the combined definition of the matching policy and operator policy (RabbitMQ's {@code
 * effective_policy_definition}), empty if none applies. The engine supplies it from the runtime
 * definitions; the model only reads it.
 */
public interface Policies {
  Policies NONE =
      new Policies() {
        @Override
        public Map<String, Object> forQueue(String queue, boolean quorum) {
          return Map.of();
        }

        @Override
        public Map<String, Object> forExchange(String exchange) {
          return Map.of();
        }
      };

  /**
   * @param quorum whether the queue was declared with {@code x-queue-type: quorum}: a policy with
   *     keys its type does not support does not apply to it
   */
  Map<String, Object> forQueue(String queue, boolean quorum);

  Map<String, Object> forExchange(String exchange);
}
