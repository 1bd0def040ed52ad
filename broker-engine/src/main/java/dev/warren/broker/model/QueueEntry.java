package dev.warren.broker.model;

/**
 * A message's place in one queue. The sequence number fixes its position for good, so a requeued
 * message goes back where it was. The mutable state (redelivered flag, delivery count, the message
 * itself once it carries an x-delivery-count header) is guarded by the owning queue's lock.
 */
public final class QueueEntry {
  private Message message;
  private final long sequence;
  private final long expiresAt;
  private boolean redelivered;
  private int deliveryCount;

  QueueEntry(Message message, long sequence) {
    this(message, sequence, MessageExpiry.NEVER);
  }

  /**
   * @param expiresAt wall-clock millis after which the message is expired, or {@link
   *     MessageExpiry#NEVER}
   */
  QueueEntry(Message message, long sequence, long expiresAt) {
    this.message = message;
    this.sequence = sequence;
    this.expiresAt = expiresAt;
  }

  /** A message a replicated queue hands to a consumer, under the queue's own message id. */
  public static QueueEntry delivered(Message message, long id, boolean redelivered) {
    QueueEntry entry = new QueueEntry(message, id, MessageExpiry.NEVER);
    entry.redelivered = redelivered;
    return entry;
  }

  /** An entry read back from the store's page files, as it was when paged out. */
  public static QueueEntry pagedIn(
      Message message, long sequence, long expiresAt, boolean redelivered) {
    QueueEntry entry = new QueueEntry(message, sequence, expiresAt);
    entry.redelivered = redelivered;
    return entry;
  }

  public Message message() {
    return message;
  }

  public long sequence() {
    return sequence;
  }

  public long expiresAt() {
    return expiresAt;
  }

  public boolean redelivered() {
    return redelivered;
  }

  void markRedelivered() {
    redelivered = true;
  }

  /** Counts a delivery that came back (requeued) and returns the new count. */
  int countReturn() {
    return ++deliveryCount;
  }

  void replaceMessage(Message replacement) {
    message = replacement;
  }
}
