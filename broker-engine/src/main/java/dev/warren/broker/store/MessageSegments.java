package dev.warren.broker.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message segments as the store thread writes them. Records are framed into one buffer and
 * written at the end of a batch; a full segment is forced, closed and followed by a new one; acks
 * are gathered per segment and appended to its ack file; a segment whose every message is settled
 * is deleted with its ack file.
 *
 * <p>A write that fails (a full disk) is undone: its record is cut off the segment, the live count
 * it added is taken back, and the acks it is still owed will be ignored. So nothing of a failed
 * write stays on disk, no segment is kept alive by it, and the next write goes where it would have
 * gone. Acks that cannot be written are kept and tried again after every batch; they never fail a
 * publish. Used by the store thread only.
 */
final class MessageSegments {
  private static final System.Logger LOG = System.getLogger(MessageSegments.class.getName());

  private final Path directory;
  private final StoreConfig config;

  /** Segments by the id of their first message, for finding the segment of an acked id. */
  private final TreeMap<Long, Segment> segments;

  private long nextSegmentIndex;
  private Segment current;
  private FileChannel currentChannel;

  /** Bytes of the current segment, written or still in the buffer. */
  private long currentBytes;

  private boolean currentDirty;
  private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
  private final PayloadWriter payload = new PayloadWriter();

  /**
   * The writes in the current segment not yet forced, in id order; those from {@link #bufferedFrom}
   * on are still in the buffer.
   */
  private final List<PendingWrite> unforced = new ArrayList<>();

  private int bufferedFrom;
  private final List<PendingWrite> failed = new ArrayList<>();
  private final Map<Segment, PayloadWriter> pendingAcks = new IdentityHashMap<>();

  /** Acks still to come for writes that were skipped or failed, by message id. */
  private final Map<Long, Integer> skippedAcks = new HashMap<>();

  /** Settled segments whose files could not be deleted yet. */
  private final List<Segment> undeleted = new ArrayList<>();

  private final FailureLog writeFailures =
      new FailureLog("Writing message segments", "the publishes not on disk are nacked");
  private final FailureLog ackFailures =
      new FailureLog(
          "Writing ack files", "the acks are kept in memory and written once there is room");

  MessageSegments(
      Path directory, StoreConfig config, TreeMap<Long, Segment> recovered, long nextIndex) {
    this.directory = directory;
    this.config = config;
    this.segments = recovered;
    this.nextSegmentIndex = nextIndex;
  }

  /**
   * Frames a write's record into the current segment (a new one if it is full).
   *
   * @return false if an I/O error prevented it: the write is then among {@link #takeFailed}
   */
  boolean append(StoreWriter.Write write) {
    PendingWrite pending = write.pending();
    MessageRecord.write(payload, write.id(), write.queueIds(), write.message());
    int recordBytes = RecordFormat.HEADER_BYTES + payload.length();
    try {
      if (current == null
          || (currentBytes > 0 && currentBytes + recordBytes > config.segmentBytes())) {
        startSegment(write.id());
      }
      if (buffer.remaining() < recordBytes) {
        writeBuffer();
        if (buffer.capacity() < recordBytes) {
          buffer = ByteBuffer.allocate(recordBytes);
        }
      }
    } catch (IOException e) {
      writeFailures.failed(e);
      skip(pending);
      failed.add(pending);
      return false;
    }
    RecordFormat.frame(buffer, payload.array(), payload.length());
    pending.locate(current, currentBytes, recordBytes);
    currentBytes += recordBytes;
    current.addLive(write.queueIds().length);
    unforced.add(pending);
    return true;
  }

  /** The write was never made: the acks its stored queues will send must not reach a segment. */
  void skip(PendingWrite pending) {
    skippedAcks.merge(pending.id(), pending.storedQueues(), Integer::sum);
  }

  /** Writes the buffer to the current segment; a failure fails the writes in it (logged). */
  void flush() {
    try {
      writeBuffer();
    } catch (IOException e) {
      writeFailures.failed(e);
    }
  }

  /**
   * Forces the current segment (unless the policy is never): its writes are then durable.
   *
   * @return false if that failed: every write not yet forced is undone and among {@link
   *     #takeFailed}
   */
  boolean force() {
    try {
      if (currentDirty && config.fsync() != FsyncPolicy.NEVER) {
        currentChannel.force(false);
      }
      currentDirty = false;
      unforced.clear();
      bufferedFrom = 0;
      return true;
    } catch (IOException e) {
      writeFailures.failed(e);
      undo(0);
      return false;
    }
  }

  /** Undoes every write not yet forced (something they depend on could not be made durable). */
  void failUnforced() {
    undo(0);
  }

  /** The writes that failed since the last call, each undone and its acks to be ignored. */
  List<PendingWrite> takeFailed() {
    if (failed.isEmpty()) {
      return List.of();
    }
    List<PendingWrite> taken = List.copyOf(failed);
    failed.clear();
    return taken;
  }

  private void writeBuffer() throws IOException {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        currentChannel.write(buffer);
        currentDirty = true;
      }
      bufferedFrom = unforced.size();
      writeFailures.succeeded();
    } catch (IOException e) {
      undo(bufferedFrom);
      throw e;
    } finally {
      buffer.clear();
    }
  }

  /**
   * Undoes the unforced writes from index {@code from} on and cuts their records off the segment.
   * If the cut fails too, the segment is given up (the next write starts a new one) and every
   * unforced write in it is undone: a segment that is never forced again makes nothing durable.
   */
  private void undo(int from) {
    if (from >= unforced.size()) {
      return;
    }
    long cutAt = unforced.get(from).offset();
    takeBack(from);
    buffer.clear();
    currentBytes = cutAt;
    try {
      currentChannel.truncate(cutAt);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot cut back " + current.data(), e);
      takeBack(0);
      abandonCurrent();
    }
  }

  /** Takes back the live counts and owed acks of the unforced writes from {@code from} on. */
  private void takeBack(int from) {
    List<PendingWrite> undone = unforced.subList(from, unforced.size());
    for (PendingWrite pending : undone) {
      int owed = pending.acksOwed();
      pending.segment().addLive(-owed);
      if (owed > 0) {
        skippedAcks.merge(pending.id(), owed, Integer::sum);
      }
      failed.add(pending);
    }
    undone.clear();
    bufferedFrom = Math.min(bufferedFrom, unforced.size());
  }

  private void abandonCurrent() {
    try {
      currentChannel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing an abandoned segment", e);
    }
    Segment abandoned = current;
    current = null;
    currentChannel = null;
    currentDirty = false;
    currentBytes = 0;
    reclaimIfSettled(abandoned);
  }

  /** Forces and closes the current segment (if any) and opens a new one. */
  private void startSegment(long firstId) throws IOException {
    if (current != null) {
      writeBuffer();
      if (!force()) {
        throw new IOException("cannot force " + current.data());
      }
      currentChannel.close();
      Segment finished = current;
      current = null;
      currentChannel = null;
      reclaimIfSettled(finished);
    }
    Segment next = new Segment(directory, nextSegmentIndex++);
    currentChannel =
        FileChannel.open(
            next.data(),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    current = next;
    currentBytes = 0;
    currentDirty = false;
    segments.put(firstId, current);
  }

  /**
   * Counts an ack against its message's segment; the ack record is written by {@link #writeAcks}.
   */
  void acknowledge(long id, int queueId) {
    Integer skipped = skippedAcks.remove(id);
    if (skipped != null) {
      if (skipped > 1) {
        skippedAcks.put(id, skipped - 1);
      }
      return;
    }
    Segment segment;
    PendingWrite recent = unforcedWrite(id);
    if (recent != null) {
      recent.ackApplied();
      segment = recent.segment();
    } else {
      Map.Entry<Long, Segment> entry = segments.floorEntry(id);
      if (entry == null) {
        return;
      }
      segment = entry.getValue();
    }
    segment.addLive(-1);
    pendingAcks.computeIfAbsent(segment, s -> new PayloadWriter()).writeLong(id).writeInt(queueId);
  }

  /** The unforced write of that id (they are in id order), or null. */
  private PendingWrite unforcedWrite(long id) {
    if (unforced.isEmpty() || id < unforced.get(0).id()) {
      return null;
    }
    int low = 0;
    int high = unforced.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      long middleId = unforced.get(middle).id();
      if (middleId < id) {
        low = middle + 1;
      } else if (middleId > id) {
        high = middle - 1;
      } else {
        return unforced.get(middle);
      }
    }
    return null;
  }

  /**
   * Deletes the segments that became settled and appends the gathered acks of the others. Acks that
   * cannot be written stay gathered for the next call.
   */
  void writeAcks() {
    for (Iterator<Segment> retry = undeleted.iterator(); retry.hasNext(); ) {
      if (delete(retry.next())) {
        retry.remove();
      }
    }
    for (Iterator<Map.Entry<Segment, PayloadWriter>> it = pendingAcks.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Segment, PayloadWriter> entry = it.next();
      Segment segment = entry.getKey();
      if (segment.live() == 0 && segment != current) {
        reclaimIfSettled(segment);
        it.remove();
        continue;
      }
      PayloadWriter acks = entry.getValue();
      ByteBuffer framed = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + acks.length());
      RecordFormat.frame(framed, acks.array(), acks.length());
      try {
        segment.appendAcks(framed.array());
        it.remove();
        ackFailures.succeeded();
      } catch (IOException e) {
        ackFailures.failed(e);
      }
    }
  }

  /**
   * Whether every ack counted so far is on disk (written, and forced unless the policy is never),
   * or moot because its segment is gone. Forces the ack files written since the last call; a
   * failure is logged and tried again next time.
   */
  boolean acksDurable() {
    boolean durable = pendingAcks.isEmpty();
    if (config.fsync() != FsyncPolicy.NEVER) {
      for (Segment segment : segments.values()) {
        try {
          segment.forceAcks();
        } catch (IOException e) {
          ackFailures.failed(e);
          durable = false;
        }
      }
    }
    return durable;
  }

  private void reclaimIfSettled(Segment segment) {
    if (segment.live() == 0 && segments.values().remove(segment) && !delete(segment)) {
      undeleted.add(segment);
    }
  }

  private static boolean delete(Segment segment) {
    try {
      segment.delete();
      return true;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot delete settled segment " + segment.data(), e);
      return false;
    }
  }

  /** Writes and forces what is pending, then closes the files. */
  void close() {
    flush();
    force();
    writeAcks();
    try {
      if (currentChannel != null) {
        currentChannel.close();
      }
      for (Segment segment : segments.values()) {
        segment.close();
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "Closing the message segments failed", e);
    }
  }
}
