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
        public Map<String, Object> forQueue(String queue) {
          return Map.of();
        }

        @Override
        public Map<String, Object> forExchange(String exchange) {
          return Map.of();
        }
      };

  Map<String, Object> forQueue(String queue);

  Map<String, Object> forExchange(String exchange);
}
