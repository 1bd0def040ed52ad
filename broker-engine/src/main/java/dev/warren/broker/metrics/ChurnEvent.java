package dev.warren.broker.metrics;

/** The lifecycle events the broker counts (RabbitMQ's connection churn metrics). */
public enum ChurnEvent {
  CONNECTION_OPENED,
  CONNECTION_CLOSED,
  CHANNEL_OPENED,
  CHANNEL_CLOSED,
  /** Every non-passive queue.declare, whether or not it created the queue. */
  QUEUE_DECLARED,
  QUEUE_CREATED,
  QUEUE_DELETED
}
