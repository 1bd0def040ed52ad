package dev.warren.broker.cluster;

/**
 * What a replicated log drives on every member: committed entries applied in log order, and the
 * snapshots that let the log be truncated. Implementations are deterministic: the same entries in
 * the same order leave every member in the same state. The log calls them from one thread.
 */
public interface ReplicatedState {

  /**
   * Applies a committed entry (an empty one is a barrier and changes nothing).
   *
   * @param index the entry's position in the log
   * @param leader whether this member leads the log now: effects that must happen once (dead
   *     letters) are carried out by the leader only
   */
  void apply(long index, byte[] entry, boolean leader);

  /** The whole state as bytes, as of the last applied entry. */
  byte[] snapshot();

  /** Replaces the state with a snapshot's (at start, or when a leader sends one). */
  void restore(byte[] snapshot);

  /** The log this state is applied from, for its own proposals; given once it is started. */
  default void useLog(ReplicatedLog log) {}
}
