package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.VirtualHost;
import java.util.concurrent.CompletionStage;

/**
 * Where a topology change is decided. A broker that is not clustered applies it to the virtual host
 * at once ({@link #LOCAL}); a cluster node puts it in the metadata log and the stage completes once
 * a majority has it and this node has applied it (see {@code dev.warren.broker.cluster}).
 */
public interface TopologyChanges {

  TopologyChanges LOCAL =
      new TopologyChanges() {
        @Override
        public <R> CompletionStage<R> decide(VirtualHost host, TopologyChange<R> change) {
          return BrokerChannel.completedWith(() -> change.applyTo(host));
        }
      };

  /** Applies the change, now or once the cluster has decided it; never blocks the caller. */
  <R> CompletionStage<R> decide(VirtualHost host, TopologyChange<R> change);

  /** The node the changes are made on: "" unless clustered. */
  default String node() {
    return "";
  }
}
