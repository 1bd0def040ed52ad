package dev.warren.broker.quorum;

import dev.warren.broker.model.Message;
import java.util.List;

/**
 * What a quorum queue's log holds: every change of the queue is one of these, applied on every
 * member in log order by {@link QuorumMachine}. Nothing here refers to a thread, a socket or a
 * node's local object, so every member computes the same state.
 */
public sealed interface QuorumCommand {

  /**
   * basic.publish routed to the queue.
   *
   * @param mayReject false if the proposer confirmed the publish once the entry was committed,
   *     because the queue as it knew it never refuses one (no reject-publish overflow): the state
   *     machine then takes it even if a policy applied meanwhile would refuse it, so that nothing
   *     confirmed is dropped
   */
  record Enqueue(Message message, boolean mayReject) implements QuorumCommand {
    /** A publish whose confirm waits for the queue's verdict. */
    public Enqueue(Message message) {
      this(message, true);
    }
  }

  /**
   * basic.consume.
   *
   * @param prefetch the most unsettled messages the log hands the consumer at once; 0 for no limit.
   *     Its node asks for a few times the client's prefetch and hands the client no more than that
   *     (see {@code ConsumerWindow}), so that deliveries keep flowing while settles are on their
   *     way through the log
   * @param autoAck no-ack: a delivery is settled as it is made
   */
  record Checkout(ConsumerKey consumer, int prefetch, boolean autoAck) implements QuorumCommand {}

  /** basic.cancel: no more deliveries; what the consumer holds stays with it until settled. */
  record Cancel(ConsumerKey consumer) implements QuorumCommand {}

  /** basic.ack. */
  record Settle(ConsumerKey consumer, List<Long> ids) implements QuorumCommand {}

  /** basic.nack / basic.reject with requeue, basic.recover: the messages go back, counted. */
  record Return(ConsumerKey consumer, List<Long> ids) implements QuorumCommand {}

  /**
   * Messages the consumer's node never handed to its client (the client's prefetch was full when
   * the consumer went): they go back as they were, neither counted nor flagged redelivered.
   */
  record Release(ConsumerKey consumer, List<Long> ids) implements QuorumCommand {}

  /** basic.nack / basic.reject without requeue: the messages are dead-lettered ("rejected"). */
  record Discard(ConsumerKey consumer, List<Long> ids) implements QuorumCommand {}

  /** basic.get; unless {@code autoAck}, the message is held by the getter until settled. */
  record Dequeue(ConsumerKey getter, boolean autoAck) implements QuorumCommand {}

  /** queue.purge: the ready messages go. */
  record Purge() implements QuorumCommand {}

  /** A channel closed: its consumers go and what they held comes back (counted). */
  record ChannelDown(String node, long channel) implements QuorumCommand {}

  /** A node is gone (or restarted): its consumers go and what they held comes back (counted). */
  record NodeDown(String node) implements QuorumCommand {}

  /** Lets the log's clock advance: messages whose TTL ran out expire. */
  record Tick() implements QuorumCommand {}

  /**
   * The queue's policy changed (RabbitMQ's {@code update_config}): the settings its proposer
   * resolved from the queue's arguments and the policy replace the current ones.
   */
  record Configure(QuorumSettings settings) implements QuorumCommand {}
}
