package dev.warren.broker.model;

/**
 * The messages of a queue that wait for a consumer, in sequence order. A seam: the in-memory
 * implementation is the only one today; a paged or priority store can replace it. Called only with
 * the queue's lock held.
 */
public interface ReadyMessages {

  void append(QueueEntry entry);

  /** Puts a message that was delivered and not acknowledged back at its original position. */
  void requeue(QueueEntry entry);

  /** The oldest ready message, or null. */
  QueueEntry poll();

  /**
   * The message {@link #poll()} would return, left in place (expiry looks at the head). The default
   * polls and puts it back, which keeps its position since requeue restores order.
   */
  default QueueEntry peek() {
    QueueEntry head = poll();
    if (head != null) {
      requeue(head);
    }
    return head;
  }

  int size();

  default boolean isEmpty() {
    return size() == 0;
  }

  /** Drops every ready message and returns how many there were. */
  int clear();

  /**
   * Removes every ready message, handing the store id of each one that has a stored copy to {@code
   * storeIds} (messages kept on disk are not read back for it); returns how many there were.
   */
  default int drain(java.util.function.LongConsumer storeIds) {
    int count = 0;
    for (QueueEntry entry = poll(); entry != null; entry = poll()) {
      if (entry.message().storeId() != 0) {
        storeIds.accept(entry.message().storeId());
      }
      count++;
    }
    return count;
  }
}
