package dev.warren.broker.store;

import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.ReadyMessages;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ready messages of which at most a fixed number stay in memory (RabbitMQ's classic queue v2
 * behaviour): once that many wait, newer messages go to {@link QueuePages} and come back in order
 * as the head drains. Requeued messages are older than anything paged, so they stay in memory.
 *
 * <p>The order is: the in-memory head, then the pages, then the outbox, the newest messages waiting
 * to be written to the pages in one batch. A batch that cannot be written (a full disk) stays in
 * the outbox, in memory, and is tried again a little later; memory use then grows until the memory
 * alarm blocks publishers. A page that cannot be read is tried again a little later too (the queue
 * is told when to dispatch again); meanwhile the queue just has nothing to hand out. No message is
 * ever dropped for a disk error. Called only with the queue's lock held.
 */
final class PagedReadyMessages implements ReadyMessages {
  private static final int OUTBOX_ENTRIES = 1_024;
  private static final long OUTBOX_BYTES = 256 * 1024;

  private final ReadyMessages memory;
  private final int memoryLimit;
  private final QueuePages pages;
  private final PagingRetries retries;
  private final Runnable onReadable;
  private final ArrayDeque<QueueEntry> outbox = new ArrayDeque<>();
  private long outboxBytes;
  private int paged;
  private final PagingRetries.Backoff writeBackoff = new PagingRetries.Backoff();
  private final PagingRetries.Backoff readBackoff = new PagingRetries.Backoff();

  /**
   * @param onReadable what to run once pages that could not be read may be readable again (the
   *     queue dispatches)
   */
  PagedReadyMessages(
      ReadyMessages memory,
      int memoryLimit,
      QueuePages pages,
      PagingRetries retries,
      Runnable onReadable) {
    this.memory = memory;
    this.memoryLimit = memoryLimit;
    this.pages = pages;
    this.retries = retries;
    this.onReadable = onReadable;
  }

  @Override
  public void append(QueueEntry entry) {
    if (paged == 0 && outbox.isEmpty() && memory.size() < memoryLimit) {
      memory.append(entry);
      return;
    }
    outbox.addLast(entry);
    outboxBytes += entry.message().body().length;
    if ((outbox.size() >= OUTBOX_ENTRIES || outboxBytes >= OUTBOX_BYTES) && writeBackoff.due()) {
      pageOut();
    }
  }

  /** Writes the outbox to the pages, or keeps it if that fails. */
  private void pageOut() {
    List<QueueEntry> batch = new ArrayList<>(outbox);
    try {
      pages.write(batch);
    } catch (IOException e) {
      writeBackoff.failed();
      retries.writeFailures().failed(e);
      return;
    }
    writeBackoff.succeeded();
    retries.writeFailures().succeeded();
    paged += batch.size();
    outbox.clear();
    outboxBytes = 0;
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
    if (!memory.isEmpty()) {
      return;
    }
    int batch = Math.max(1, memoryLimit / 2);
    if (paged > 0) {
      if (readBackoff.due()) {
        pageIn(Math.min(paged, batch));
      }
    } else {
      for (int i = 0; i < batch && !outbox.isEmpty(); i++) {
        QueueEntry entry = outbox.pollFirst();
        outboxBytes -= entry.message().body().length;
        memory.append(entry);
      }
    }
  }

  private void pageIn(int count) {
    try {
      pages.read(count, this::pagedIn);
    } catch (IOException e) {
      readBackoff.failed();
      retries.readFailures().failed(e);
      retries.after(readBackoff.delayMillis(), onReadable);
      return;
    }
    readBackoff.succeeded();
    retries.readFailures().succeeded();
    if (paged == 0) {
      deletePages(); // the last page is read; start afresh
    }
  }

  private void pagedIn(QueueEntry entry) {
    paged--;
    memory.append(entry);
  }

  @Override
  public int size() {
    return memory.size() + paged + outbox.size();
  }

  @Override
  public int clear() {
    int count = size();
    memory.clear();
    outbox.clear();
    outboxBytes = 0;
    paged = 0;
    deletePages();
    return count;
  }

  @Override
  public int drain(Consumer<QueueEntry> sink) {
    int count = size();
    memory.drain(sink);
    if (paged > 0) {
      try {
        pages.drain(sink);
      } catch (IOException e) {
        // Their stored copies stay until the next start, which finds them still in the queue.
        retries.readFailures().failed(e);
      }
      paged = 0;
    }
    outbox.forEach(sink);
    outbox.clear();
    outboxBytes = 0;
    deletePages();
    return count;
  }

  private void deletePages() {
    try {
      pages.delete();
    } catch (IOException e) {
      retries.writeFailures().failed(e);
    }
  }
}
