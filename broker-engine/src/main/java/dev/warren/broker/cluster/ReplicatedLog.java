package dev.warren.broker.cluster;

import dev.warren.broker.engine.api.ClusterStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A Raft log that entries are appended to; each member applies them to its {@link ReplicatedState}.
 */
public interface ReplicatedLog {

  /**
   * Appends an entry; completes once a majority has it, or fails (timeout, no leader reachable).
   * The entry is applied on this node some time after.
   */
  CompletableFuture<Void> append(byte[] entry);

  /** Completes once this node has applied every entry committed before the call. */
  CompletableFuture<Void> barrier();

  /** The log's leader and members as this node sees them, if the log knows them. */
  default Optional<ClusterStatus> members() {
    return Optional.empty();
  }
}
