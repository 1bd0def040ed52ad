package dev.warren.broker.store;

import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.ReadyMessages;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * Ready messages of which at most a fixed number stay in memory (RabbitMQ's classic queue v2
 * behaviour): once that many wait, newer messages go to {@link QueuePages} and come back in order
 * as the head drains. Requeued messages are older than anything paged, so they stay in memory.
 *
 * <p>A queue whose messages are stored pages a persistent message out by reference to its record in
 * the segments, once that record is durable; everything else is paged out whole.
 *
 * <p>The order is: the in-memory head, then the pages, then the outbox, the newest messages waiting
 * to be written to the pages in one batch (and, for a reference, for their record to be durable). A
 * batch that cannot be written (a full disk) stays in the outbox, in memory, and is tried again a
 * little later; memory use then grows until the memory alarm blocks publishers. A page that cannot
 * be read is tried again a little later too (the queue is told when to dispatch again); meanwhile
 * the queue just has nothing to hand out. No message is ever dropped for a disk error. Called only
 * with the queue's lock held.
 */
final class PagedReadyMessages implements ReadyMessages {
  private static final int OUTBOX_ENTRIES = 1_024;
  private static final long OUTBOX_BYTES = 256 * 1024;

  private final ReadyMessages memory;
  private final int memoryLimit;
  private final QueuePages pages;
  private final PagingRetries retries;
  private final Runnable onReadable;
  private final LongFunction<SegmentCopy> copies;
  private final ArrayDeque<QueuePages.Outgoing> outbox = new ArrayDeque<>();
  private long outboxBytes;
  private int paged;
  private final PagingRetries.Backoff writeBackoff = new PagingRetries.Backoff();
  private final PagingRetries.Backoff readBackoff = new PagingRetries.Backoff();

  /**
   * @param copies the segment copy of a message by its store id (null if it has none), or null if
   *     this queue's messages are not stored: they are then always paged out whole
   * @param onReadable what to run once pages that could not be read may be readable again (the
   *     queue dispatches)
   */
  PagedReadyMessages(
      ReadyMessages memory,
      int memoryLimit,
      QueuePages pages,
      LongFunction<SegmentCopy> copies,
      PagingRetries retries,
      Runnable onReadable) {
    this.memory = memory;
    this.memoryLimit = memoryLimit;
    this.pages = pages;
    this.copies = copies;
    this.retries = retries;
    this.onReadable = onReadable;
  }

  @Override
  public void append(QueueEntry entry) {
    if (paged == 0 && outbox.isEmpty() && memory.size() < memoryLimit) {
      memory.append(entry);
      return;
    }
    long storeId = entry.message().storeId();
    SegmentCopy copy = copies == null || storeId == 0 ? null : copies.apply(storeId);
    outbox.addLast(new QueuePages.Outgoing(entry, copy));
    outboxBytes += entry.message().body().length;
    if ((outbox.size() >= OUTBOX_ENTRIES || outboxBytes >= OUTBOX_BYTES) && writeBackoff.due()) {
      pageOut();
    }
  }

  /**
   * Writes the outbox to the pages, up to the first message whose record may still become durable
   * (it waits to be paged out by reference), or keeps it all if that fails.
   */
  private void pageOut() {
    List<QueuePages.Outgoing> batch = new ArrayList<>();
    for (QueuePages.Outgoing outgoing : outbox) {
      if (outgoing.copy() != null && outgoing.copy().pending()) {
        break;
      }
      batch.add(outgoing);
    }
    if (batch.isEmpty()) {
      return;
    }
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
    for (int i = 0; i < batch.size(); i++) {
      outboxBytes -= outbox.pollFirst().entry().message().body().length;
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
        QueueEntry entry = outbox.pollFirst().entry();
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
  public int drain(LongConsumer storeIds) {
    int count = size();
    memory.drain(storeIds);
    if (paged > 0) {
      try {
        pages.drain(storeIds);
      } catch (IOException e) {
        // Their stored copies stay until the next start, which finds them still in the queue.
        retries.readFailures().failed(e);
      }
      paged = 0;
    }
    for (QueuePages.Outgoing outgoing : outbox) {
      long storeId = outgoing.entry().message().storeId();
      if (storeId != 0) {
        storeIds.accept(storeId);
      }
    }
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
