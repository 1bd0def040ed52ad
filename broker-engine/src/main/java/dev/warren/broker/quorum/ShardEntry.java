package dev.warren.broker.quorum;

import java.util.Map;

/**
 * One entry of a quorum shard's log: a command for one of the queues the shard holds.
 *
 * @param origin the node that proposed it, which answers its client when it applies it
 * @param request that node's number for the proposal
 * @param now the proposing node's clock (the log's clock, see {@link QuorumMachine.Meta})
 */
public record ShardEntry(
    QueueKey queue, String origin, long request, long now, ShardEntry.Command command) {

  /** What the entry does. */
  public sealed interface Command {}

  /** A queue starts (its declaring node proposes this once the cluster has its declaration). */
  public record Open(Map<String, Object> arguments) implements Command {}

  /** The queue was deleted: its state goes. */
  public record Close() implements Command {}

  /**
   * A node's consumers are gone: it restarted (it says so itself before it listens), or the shard's
   * leader heard nothing from it for a while (it died or was cut off). In every queue of the shard,
   * its consumers go and what they held comes back, counted. A node that applies this about itself
   * while it has consumers (it was cut off, not dead) cancels them: the log no longer has them. The
   * entry's queue is not used.
   */
  public record NodeGone(String node) implements Command {}

  /** A command for the queue's state machine. */
  public record ForQueue(QuorumCommand command) implements Command {}
}
