package dev.warren.broker.model;

/** How a delivered message leaves the unacknowledged state. */
public enum Settlement {
  /** basic.ack: the message is done. */
  ACK,
  /** nack/reject/recover with requeue: back to its original position, marked redelivered. */
  REQUEUE,
  /** nack/reject without requeue: dropped (the seam for dead-lettering). */
  DISCARD
}
