package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;

/**
 * The channel side of a consumer, as a queue sees it. Queues call the first two methods with their
 * lock held, so implementations must only touch their own state there (never another queue); the
 * listener itself is called later, from {@link #flush()}, with no queue lock held.
 */
public interface DeliveryTarget {

  /**
   * Whether the consumer's channel takes a message now (flow, back-pressure, channel-wide
   * prefetch). A true answer reserves channel-wide credit for the delivery that follows.
   */
  boolean tryReserve(Consumer consumer);

  /**
   * Assigns a delivery tag and queues the delivery for the listener; a delivery from another node's
   * queue beyond the channel-wide prefetch waits, untagged, until a settle frees credit.
   *
   * @return false if the channel closed meanwhile; the queue then keeps the message
   */
  boolean deliver(Consumer consumer, QueueEntry entry);

  /** Hands queued events to the listener; called without any queue lock held. */
  void flush();

  /** The broker cancelled the consumer (its queue was deleted). */
  void cancelledByBroker(Consumer consumer);

  /** The consumer's queue could not register it after all; {@code error} says why. */
  void consumerFailed(Consumer consumer, BrokerException error);
}
