package dev.warren.broker.quorum;

/** What a command answers the member that proposed it (its client waits for this). */
public sealed interface QuorumReply {

  QuorumReply OK = new Ok();

  record Ok() implements QuorumReply {}

  /** An enqueue refused by {@code x-overflow: reject-publish}: the publisher is nacked. */
  record Rejected() implements QuorumReply {}

  /** basic.get-ok: the message, and how many ready ones remain. */
  record Got(QueuedMessage message, int remaining) implements QuorumReply {}

  /** basic.get-empty. */
  record Empty() implements QuorumReply {}

  /** queue.purge-ok. */
  record Purged(int count) implements QuorumReply {}
}
