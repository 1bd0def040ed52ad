package dev.warren.broker.model;

import java.util.function.Function;

/**
 * Ready messages of a priority queue ({@code x-max-priority}): one FIFO per priority level, the
 * highest non-empty level served first. A message's priority property is capped at the queue's
 * maximum; no property counts as 0, as in RabbitMQ.
 */
final class PriorityReadyMessages implements ReadyMessages {
  private final ReadyMessages[] levels;
  private int size;

  PriorityReadyMessages(int maxPriority, Function<Integer, ReadyMessages> level) {
    levels = new ReadyMessages[maxPriority + 1];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = level.apply(i);
    }
  }

  private ReadyMessages levelOf(QueueEntry entry) {
    Integer priority = entry.message().properties().priority();
    int level = priority == null ? 0 : Math.max(0, Math.min(priority, levels.length - 1));
    return levels[level];
  }

  @Override
  public void append(QueueEntry entry) {
    levelOf(entry).append(entry);
    size++;
  }

  @Override
  public void requeue(QueueEntry entry) {
    levelOf(entry).requeue(entry);
    size++;
  }

  @Override
  public QueueEntry poll() {
    for (int i = levels.length - 1; i >= 0 && size > 0; i--) {
      QueueEntry entry = levels[i].poll();
      if (entry != null) {
        size--;
        return entry;
      }
    }
    return null;
  }

  @Override
  public QueueEntry peek() {
    for (int i = levels.length - 1; i >= 0 && size > 0; i--) {
      QueueEntry entry = levels[i].peek();
      if (entry != null) {
        return entry;
      }
    }
    return null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int clear() {
    int count = size;
    for (ReadyMessages level : levels) {
      level.clear();
    }
    size = 0;
    return count;
  }
}
