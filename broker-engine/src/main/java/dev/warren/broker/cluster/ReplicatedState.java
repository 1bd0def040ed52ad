package dev.warren.broker.cluster;

/**
 * What a replicated log drives on every member: committed entries applied in log order, and the
 * snapshots that let the log be truncated. Implementations are deterministic: the same entries in
 * the same order leave every member in the same state. The log calls them from one thread.
 */
public interface ReplicatedState {

  /** Applies a committed entry (an empty one is a barrier and changes nothing). */
  void apply(byte[] entry);

  /** The whole state as bytes, as of the last applied entry. */
  byte[] snapshot();

  /** Replaces the state with a snapshot's (at start, or when a leader sends one). */
  void restore(byte[] snapshot);
}
