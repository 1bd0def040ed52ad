package dev.warren.broker.model;

/** How a delivered message leaves the unacknowledged state. */
public enum Settlement {
  /** basic.ack: the message is done. */
  ACK,
  /** nack/reject/recover with requeue: back to its original position, marked redelivered. */
  REQUEUE,
  /** nack/reject without requeue: dropped (the seam for dead-lettering). */
  DISCARD,
  /**
   * Back to its original position as it was, neither flagged redelivered nor counted towards {@code
   * x-delivery-limit}: the delivery never reached the client (another node's channel held it back
   * for credit, as RabbitMQ's limiter would have kept it in the queue).
   */
  RELEASE
}
