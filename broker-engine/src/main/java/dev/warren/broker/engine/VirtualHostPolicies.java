package dev.warren.broker.engine;

import dev.warren.broker.definitions.PolicyRegistry;
import dev.warren.broker.model.Policies;
import java.util.Map;

/** One virtual host's view of the runtime policies, as its queues and exchanges read them. */
record VirtualHostPolicies(PolicyRegistry registry, String virtualHost) implements Policies {

  @Override
  public Map<String, Object> forQueue(String queue, boolean quorum) {
    return registry.effective(virtualHost, PolicyRegistry.Target.queue(quorum), queue).definition();
  }

  @Override
  public Map<String, Object> forExchange(String exchange) {
    return registry.effective(virtualHost, PolicyRegistry.Target.EXCHANGE, exchange).definition();
  }
}
