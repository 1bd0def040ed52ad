package dev.warren.broker.cluster;

import dev.warren.broker.engine.api.ClusterStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's metadata log, as the rest of Warren sees it (its Raft implementation lives in
 * {@code dev.warren.broker.cluster.raft} and is the only code that knows Ratis).
 */
public interface MetadataLog extends ReplicatedLog, AutoCloseable {

  /** The members as this node sees them. */
  ClusterStatus status();

  /** Replaces the members with {@code members}, through the log (Raft's configuration change). */
  CompletableFuture<Void> changeMembers(List<ClusterConfig.Peer> members);

  @Override
  void close();
}
