package dev.warren.broker.store;

import dev.warren.broker.model.Persistence.Synced;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A persistent message handed to the store and not yet on disk. Its publisher is told by whichever
 * comes first: the fsync that covers its write, or its release by every stored queue it was routed
 * to (acknowledged, dropped). The second is what RabbitMQ's message store does with a message that
 * is removed before it is written: it confirms it without writing it. The store thread then skips
 * the write altogether, so a consumer that keeps up spares the disk the message.
 */
final class PendingWrite implements Synced, SegmentCopy {
  private static final int WAITING = 0;
  private static final int SYNCED = 1;
  private static final int SETTLED = 2;
  private static final int FAILED = 3;
  private static final AtomicIntegerFieldUpdater<PendingWrite> STATE =
      AtomicIntegerFieldUpdater.newUpdater(PendingWrite.class, "state");
  private static final AtomicIntegerFieldUpdater<PendingWrite> UNRELEASED =
      AtomicIntegerFieldUpdater.newUpdater(PendingWrite.class, "unreleased");

  private final long id;
  private final int storedQueues;
  private final Synced publisher;
  private final Map<Long, PendingWrite> unsynced;
  private volatile int state = WAITING;
  private volatile int unreleased;

  // Where the store thread framed the record (read by other threads only once the state says it
  // is synced), and the acks it applied to it before it was forced (a write that fails after all
  // is undone by the acks it still owes: store thread only).
  private Segment segment;
  private long offset;
  private int length;
  private int acksApplied;

  /**
   * @param unsynced where the store finds it by id until it is synced or settled; this removes
   *     itself from there
   */
  PendingWrite(long id, int storedQueues, Synced publisher, Map<Long, PendingWrite> unsynced) {
    this.id = id;
    this.storedQueues = storedQueues;
    this.unreleased = storedQueues;
    this.publisher = publisher;
    this.unsynced = unsynced;
  }

  /** On the store thread, once the write is on disk. */
  @Override
  public void synced() {
    if (STATE.compareAndSet(this, WAITING, SYNCED)) {
      unsynced.remove(id);
      publisher.synced();
    }
  }

  @Override
  public void afterBatch() {
    if (state == SYNCED) {
      publisher.afterBatch();
    }
  }

  /** On the store thread: the write could not be made durable. */
  @Override
  public void failed() {
    if (STATE.compareAndSet(this, WAITING, FAILED)) {
      unsynced.remove(id);
      publisher.failed();
    }
  }

  long id() {
    return id;
  }

  /** How many acks (one per stored queue) the message's write is owed. */
  int storedQueues() {
    return storedQueues;
  }

  /** On the store thread: its record was framed at {@code offset} in {@code segment}. */
  void locate(Segment segment, long offset, int length) {
    this.segment = segment;
    this.offset = offset;
    this.length = length;
  }

  /** The segment its record went to, or null if it was never framed (store thread). */
  Segment segment() {
    return segment;
  }

  @Override
  public boolean durable() {
    return state == SYNCED;
  }

  @Override
  public boolean pending() {
    return state == WAITING;
  }

  @Override
  public long segmentIndex() {
    return segment.index();
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public int length() {
    return length;
  }

  /** On the store thread: an ack for it reached its segment's live count. */
  void ackApplied() {
    acksApplied++;
  }

  /** The acks still to come for it (store thread). */
  int acksOwed() {
    return storedQueues - acksApplied;
  }

  /** One stored queue let the message go for good; the last one settles it, on its thread. */
  void released() {
    if (UNRELEASED.decrementAndGet(this) == 0 && STATE.compareAndSet(this, WAITING, SETTLED)) {
      unsynced.remove(id);
      publisher.synced();
      publisher.afterBatch();
    }
  }

  /** True if every stored queue released it before it was synced: it need not be written. */
  boolean settled() {
    return state == SETTLED;
  }
}
