package dev.warren.broker.cluster;

import dev.warren.broker.engine.api.ClusterStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A metadata log without Raft for deterministic tests: an appended entry is applied to every member
 * at once, in order, on the caller's thread. Without a majority ({@link #cutOff}) an append fails
 * as a timed-out one does and nothing is applied.
 */
final class InMemoryLog implements MetadataLog {
  private final List<ReplicatedState> members = new ArrayList<>();
  final List<byte[]> entries = new ArrayList<>();
  private boolean majority = true;

  /** Applies every later entry to {@code member} too. */
  void add(ReplicatedState member) {
    members.add(member);
  }

  /** Appends fail from now on, as on a node cut off from the majority. */
  void cutOff() {
    majority = false;
  }

  @Override
  public CompletableFuture<Void> append(byte[] entry) {
    if (!majority) {
      return CompletableFuture.failedFuture(new TimeoutException("no majority"));
    }
    entries.add(entry);
    members.forEach(member -> member.apply(entries.size(), entry, false));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> barrier() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public ClusterStatus status() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> changeMembers(List<ClusterConfig.Peer> members) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
