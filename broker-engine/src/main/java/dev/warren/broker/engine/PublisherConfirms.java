package dev.warren.broker.engine;

import dev.warren.broker.engine.ListenerMailbox.Confirmation;
import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.model.Persistence;
import java.util.ArrayDeque;

/**
 * A confirm-mode channel's outstanding publishes. A publish is confirmed once every queue holds it
 * and, if it was written to the store, once that write is on disk. Confirms go out in sequence
 * order, so a run of consecutive acks becomes one {@code multiple=true} confirm; a transient
 * publish behind a persistent one waits for it (RabbitMQ may confirm out of order; in-order keeps
 * the multiple flag honest).
 */
final class PublisherConfirms {
  private final ListenerMailbox mailbox;
  private final ChannelCounters counters;
  private final ArrayDeque<Pending> outstanding = new ArrayDeque<>();
  private long lastSeqNo; // owner thread only

  PublisherConfirms(ListenerMailbox mailbox, ChannelCounters counters) {
    this.mailbox = mailbox;
    this.counters = counters;
  }

  /** Publishes awaiting their confirm, for listings. */
  synchronized int outstanding() {
    return outstanding.size();
  }

  /** Registers the next publish; the caller routes it, then calls {@link Pending#routed}. */
  Pending next() {
    Pending pending = new Pending(++lastSeqNo);
    synchronized (this) {
      outstanding.addLast(pending);
    }
    return pending;
  }

  /** One publish awaiting its confirm; told by the store when its write is on disk. */
  final class Pending implements Persistence.Synced {
    private final long seqNo;
    // Guarded by the enclosing PublisherConfirms; the store may sync before routed() returns.
    private boolean routed;
    private boolean ack;
    private boolean stored;
    private boolean synced;
    private boolean failed;

    private Pending(long seqNo) {
      this.seqNo = seqNo;
    }

    void routed(boolean accepted, boolean storedOnDisk) {
      synchronized (PublisherConfirms.this) {
        routed = true;
        ack = accepted;
        stored = storedOnDisk;
      }
      release();
    }

    @Override
    public void synced() {
      synchronized (PublisherConfirms.this) {
        synced = true;
      }
    }

    @Override
    public void afterBatch() {
      release();
    }

    /** The store could not write it: the publisher is nacked, as RabbitMQ does on an error. */
    @Override
    public void failed() {
      synchronized (PublisherConfirms.this) {
        failed = true;
      }
      release();
    }

    private boolean confirmable() {
      return routed && (!stored || synced || failed);
    }

    private boolean acked() {
      return ack && !failed;
    }
  }

  /** Posts every confirmable publish at the head, merging runs of acks into multiple confirms. */
  private void release() {
    synchronized (this) {
      long runEnd = -1;
      int runLength = 0;
      while (!outstanding.isEmpty() && outstanding.peekFirst().confirmable()) {
        Pending head = outstanding.pollFirst();
        if (head.acked()) {
          runEnd = head.seqNo;
          runLength++;
          continue;
        }
        postRun(runEnd, runLength);
        runLength = 0;
        mailbox.post(new Confirmation(head.seqNo, false, false));
      }
      postRun(runEnd, runLength);
    }
    mailbox.flush();
  }

  private void postRun(long runEnd, int runLength) {
    if (runLength > 0) {
      counters.confirmed(runLength);
      mailbox.post(new Confirmation(runEnd, runLength > 1, true));
    }
  }
}
