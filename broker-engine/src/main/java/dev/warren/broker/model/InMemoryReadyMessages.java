package dev.warren.broker.model;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Ready messages in memory. Messages leave the head in sequence order, so every requeued message is
 * older than everything still in the main deque: requeued ones wait in a small heap that is always
 * served first, which restores their original order in O(log n) without shifting the deque.
 */
final class InMemoryReadyMessages implements ReadyMessages {
  private static final Comparator<QueueEntry> BY_SEQUENCE =
      Comparator.comparingLong(QueueEntry::sequence);

  private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
  private PriorityQueue<QueueEntry> requeued;

  @Override
  public void append(QueueEntry entry) {
    fresh.addLast(entry);
  }

  @Override
  public void requeue(QueueEntry entry) {
    if (requeued == null) {
      requeued = new PriorityQueue<>(BY_SEQUENCE);
    }
    requeued.add(entry);
  }

  @Override
  public QueueEntry poll() {
    if (requeued != null && !requeued.isEmpty()) {
      return requeued.poll();
    }
    return fresh.pollFirst();
  }

  @Override
  public QueueEntry peek() {
    if (requeued != null && !requeued.isEmpty()) {
      return requeued.peek();
    }
    return fresh.peekFirst();
  }

  @Override
  public int size() {
    return fresh.size() + (requeued == null ? 0 : requeued.size());
  }

  @Override
  public int clear() {
    int count = size();
    fresh.clear();
    requeued = null;
    return count;
  }
}
