package dev.warren.broker.store;

import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.ReadyMessages;
import java.util.function.Consumer;

/**
 * Ready messages of which at most a fixed number stay in memory (RabbitMQ's classic queue v2
 * behaviour): once that many wait, newer messages go to {@link QueuePages} and come back in order
 * as the head drains. Requeued messages are older than anything paged, so they stay in memory.
 * Called only with the queue's lock held.
 */
final class PagedReadyMessages implements ReadyMessages {
  private final ReadyMessages memory;
  private final int memoryLimit;
  private final QueuePages pages;
  private int paged;

  PagedReadyMessages(ReadyMessages memory, int memoryLimit, QueuePages pages) {
    this.memory = memory;
    this.memoryLimit = memoryLimit;
    this.pages = pages;
  }

  @Override
  public void append(QueueEntry entry) {
    if (paged == 0 && memory.size() < memoryLimit) {
      memory.append(entry);
    } else {
      pages.write(entry);
      paged++;
    }
  }

  @Override
  public void requeue(QueueEntry entry) {
    memory.requeue(entry);
  }

  @Override
  public QueueEntry poll() {
    pageInIfEmpty();
    return memory.poll();
  }

  @Override
  public QueueEntry peek() {
    pageInIfEmpty();
    return memory.peek();
  }

  private void pageInIfEmpty() {
    if (paged > 0 && memory.isEmpty()) {
      int batch = Math.min(paged, Math.max(1, memoryLimit / 2));
      paged -= batch;
      pages.read(batch, memory::append);
      if (paged == 0) {
        pages.delete(); // the last page is read; start afresh
      }
    }
  }

  @Override
  public int size() {
    return memory.size() + paged;
  }

  @Override
  public int clear() {
    int count = size();
    memory.clear();
    if (paged > 0) {
      pages.delete();
      paged = 0;
    }
    return count;
  }

  @Override
  public int drain(Consumer<QueueEntry> sink) {
    int count = memory.drain(sink);
    if (paged > 0) {
      pages.drain(sink);
      count += paged;
      paged = 0;
    }
    return count;
  }
}
