package dev.warren.broker.model;

/**
 * A message's place in one queue. The sequence number fixes its position for good, so a requeued
 * message goes back where it was. The redelivered flag is guarded by the owning queue's lock.
 */
public final class QueueEntry {
  private final Message message;
  private final long sequence;
  private boolean redelivered;

  QueueEntry(Message message, long sequence) {
    this.message = message;
    this.sequence = sequence;
  }

  public Message message() {
    return message;
  }

  public long sequence() {
    return sequence;
  }

  public boolean redelivered() {
    return redelivered;
  }

  void markRedelivered() {
    redelivered = true;
  }
}
