package dev.warren.broker.quorum;

import dev.warren.broker.model.Message;

/**
 * What applying a command asks the world to do. The machine never does it itself: its caller does,
 * after the command is committed, on the member each effect names.
 */
public sealed interface QuorumEffect {

  /**
   * Hand a message to a consumer; done by the member on the consumer's node (every member computes
   * the same deliveries, only that one has the channel).
   */
  record Deliver(ConsumerKey consumer, QueuedMessage message) implements QuorumEffect {}

  /**
   * Republish a dead message through the queue's dead-letter exchange; done by the leader only, so
   * at most once (RabbitMQ's at-most-once dead-lettering of quorum queues).
   *
   * @param reason RabbitMQ's x-death reason: expired, maxlen, rejected, delivery_limit
   */
  record DeadLetter(Message message, String reason) implements QuorumEffect {}
}
