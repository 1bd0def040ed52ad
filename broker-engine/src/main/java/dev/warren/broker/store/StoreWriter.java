package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence.Synced;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The store's single writer thread. Callers hand it commands and never wait; it takes whatever has
 * arrived, writes it all, forces the files once (group commit) and then tells the waiting callers.
 * Under steady traffic one fsync covers every publish that arrived while the previous one ran.
 */
final class StoreWriter implements Runnable {
  private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());
  private static final int MAX_BATCH = 16_384;

  sealed interface Command {}

  record TopologyChange(byte[] framed) implements Command {}

  record Write(long id, int[] queueIds, Message message, PendingWrite pending) implements Command {}

  record Ack(long id, int queueId) implements Command {}

  record Sync(Synced callback) implements Command {}

  private record Stop() implements Command {}

  private final BlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
  private final Path segmentDirectory;
  private final Path topologyFile;
  private final StoredTopology topology;
  private final StoreConfig config;
  private final Thread thread;

  /** Segments by the id of their first message, for finding the segment of an acked id. */
  private final TreeMap<Long, Segment> segments;

  private long nextSegmentIndex;
  private Segment current;
  private FileChannel currentChannel;
  private boolean currentDirty;
  private long currentBytes;
  private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
  private final PayloadWriter payload = new PayloadWriter();

  private FileChannel topologyChannel;
  private boolean topologyDirty;
  private int topologyAppends;

  private final List<Command> batch = new ArrayList<>();
  private final List<Synced> waiting = new ArrayList<>();
  private final Map<Segment, PayloadWriter> pendingAcks = new IdentityHashMap<>();

  /** Acks still to come for writes that were skipped (settled before written), by message id. */
  private final Map<Long, Integer> skippedAcks = new HashMap<>();

  private long lastSyncNanos = System.nanoTime();

  StoreWriter(
      Path segmentDirectory,
      Path topologyFile,
      StoredTopology topology,
      StoreConfig config,
      TreeMap<Long, Segment> recovered,
      long nextSegmentIndex)
      throws IOException {
    this.segmentDirectory = segmentDirectory;
    this.topologyFile = topologyFile;
    this.topology = topology;
    this.config = config;
    this.segments = recovered;
    this.nextSegmentIndex = nextSegmentIndex;
    this.topologyChannel = openAppend(topologyFile);
    this.thread = new Thread(this, "warren-store");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void submit(Command command) {
    inbox.add(command);
  }

  /** Writes and forces what is pending, then stops the thread and closes the files. */
  void stop() {
    inbox.add(new Stop());
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    boolean stopping = false;
    while (!stopping) {
      try {
        Command first = inbox.poll(pollTimeoutNanos(), TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          inbox.drainTo(batch, MAX_BATCH);
        }
        for (Command command : batch) {
          stopping |= command instanceof Stop;
          apply(command);
        }
        batch.clear();
        flushWrites();
        if (!waiting.isEmpty() && (stopping || syncDue())) {
          syncAndNotify();
        }
        compactTopologyIfLarge();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "Store write failed; the publishes not yet on disk are nacked",
            e);
        stopping |= failPending();
      }
    }
    closeFiles();
  }

  /**
   * After a failed write or fsync, every publish not yet on disk fails (its publisher is nacked, a
   * transaction's commit fails) and its acks will be ignored, as for a skipped write. The next
   * write starts a new segment, so that a torn record can only be the last of its file, where
   * recovery cuts it off.
   *
   * @return whether the failed batch held the stop command
   */
  private boolean failPending() {
    boolean stop = false;
    // A command applied before the failure is in both lists; failing it twice is harmless.
    for (Command command : batch) {
      stop |= command instanceof Stop;
      if (command instanceof Write write) {
        fail(write.pending());
      } else if (command instanceof Sync sync) {
        notifyFailed(sync.callback());
      }
    }
    for (Synced callback : waiting) {
      if (callback instanceof PendingWrite pending) {
        fail(pending);
      } else {
        notifyFailed(callback);
      }
    }
    batch.clear();
    waiting.clear();
    pendingAcks.clear();
    buffer.clear();
    abandonCurrentSegment();
    return stop;
  }

  private void fail(PendingWrite pending) {
    skipAcksOf(pending);
    notifyFailed(pending);
  }

  /** The write is not on disk: the acks its stored queues will send must not reach a segment. */
  private void skipAcksOf(PendingWrite pending) {
    skippedAcks.putIfAbsent(pending.id(), pending.storedQueues());
  }

  private static void notifyFailed(Synced callback) {
    try {
      callback.failed();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Store callback failed", e);
    }
  }

  private void abandonCurrentSegment() {
    if (currentChannel != null) {
      try {
        currentChannel.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing an abandoned segment", e);
      }
    }
    currentChannel = null;
    current = null;
    currentDirty = false;
    currentBytes = 0;
  }

  private long pollTimeoutNanos() {
    if (waiting.isEmpty() || config.fsync() != FsyncPolicy.INTERVAL) {
      return TimeUnit.SECONDS.toNanos(1);
    }
    return Math.max(0, config.fsyncInterval().toNanos() - (System.nanoTime() - lastSyncNanos));
  }

  private boolean syncDue() {
    return config.fsync() != FsyncPolicy.INTERVAL
        || System.nanoTime() - lastSyncNanos >= config.fsyncInterval().toNanos();
  }

  private void apply(Command command) throws IOException {
    if (command instanceof Write write) {
      if (write.pending().settled()) {
        skipAcksOf(write.pending());
      } else {
        append(write);
        waiting.add(write.pending());
      }
    } else if (command instanceof Ack ack) {
      acknowledge(ack);
    } else if (command instanceof Sync sync) {
      waiting.add(sync.callback());
    } else if (command instanceof TopologyChange change) {
      TopologyLog.writeFully(topologyChannel, change.framed());
      topologyDirty = true;
      topologyAppends++;
    }
  }

  private void append(Write write) throws IOException {
    Message message = write.message();
    payload.reset();
    payload.writeLong(write.id()).writeInt(write.queueIds().length);
    for (int queueId : write.queueIds()) {
      payload.writeInt(queueId);
    }
    payload.writeString(message.exchange()).writeString(message.routingKey());
    payload.writeProperties(message.properties()).writeBytes(message.body());
    int recordBytes = RecordFormat.HEADER_BYTES + payload.length();
    if (current == null
        || (currentBytes > 0 && currentBytes + recordBytes > config.segmentBytes())) {
      rollSegment(write.id());
    }
    if (buffer.remaining() < recordBytes) {
      flushBuffer();
      if (buffer.capacity() < recordBytes) {
        buffer = ByteBuffer.allocate(recordBytes);
      }
    }
    RecordFormat.frame(buffer, payload.array(), payload.length());
    currentBytes += recordBytes;
    current.addLive(write.queueIds().length);
  }

  private void rollSegment(long firstId) throws IOException {
    if (current != null) {
      flushBuffer();
      if (config.fsync() != FsyncPolicy.NEVER) {
        currentChannel.force(false);
      }
      currentChannel.close();
      Segment finished = current;
      current = null;
      reclaimIfSettled(finished);
    }
    current = new Segment(segmentDirectory, nextSegmentIndex++);
    currentChannel =
        FileChannel.open(
            current.data(),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    currentBytes = 0;
    segments.put(firstId, current);
  }

  private void acknowledge(Ack ack) {
    Integer skipped = skippedAcks.remove(ack.id());
    if (skipped != null) {
      if (skipped > 1) {
        skippedAcks.put(ack.id(), skipped - 1);
      }
      return;
    }
    Map.Entry<Long, Segment> entry = segments.floorEntry(ack.id());
    if (entry == null) {
      return;
    }
    Segment segment = entry.getValue();
    segment.addLive(-1);
    pendingAcks
        .computeIfAbsent(segment, s -> new PayloadWriter())
        .writeLong(ack.id())
        .writeInt(ack.queueId());
  }

  private void flushWrites() throws IOException {
    flushBuffer();
    for (Map.Entry<Segment, PayloadWriter> entry : pendingAcks.entrySet()) {
      Segment segment = entry.getKey();
      if (segment.live() == 0 && segment != current) {
        reclaimIfSettled(segment);
      } else {
        PayloadWriter acks = entry.getValue();
        ByteBuffer framed = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + acks.length());
        RecordFormat.frame(framed, acks.array(), acks.length());
        segment.appendAcks(framed.array());
      }
    }
    pendingAcks.clear();
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      currentChannel.write(buffer);
      currentDirty = true;
    }
    buffer.clear();
  }

  private void reclaimIfSettled(Segment segment) throws IOException {
    if (segment.live() == 0 && segments.values().remove(segment)) {
      segment.delete();
    }
  }

  private void syncAndNotify() throws IOException {
    if (config.fsync() != FsyncPolicy.NEVER) {
      if (currentDirty) {
        currentChannel.force(false);
      }
      for (Segment segment : segments.values()) {
        segment.forceAcks();
      }
      if (topologyDirty) {
        topologyChannel.force(false);
      }
    }
    currentDirty = false;
    topologyDirty = false;
    lastSyncNanos = System.nanoTime();
    for (Synced callback : waiting) {
      notify(callback, true);
    }
    for (Synced callback : waiting) {
      notify(callback, false);
    }
    waiting.clear();
  }

  private static void notify(Synced callback, boolean synced) {
    try {
      if (synced) {
        callback.synced();
      } else {
        callback.afterBatch();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Store callback failed", e);
    }
  }

  /** Rewrites the topology log once it holds mostly superseded records. */
  private void compactTopologyIfLarge() throws IOException {
    if (topologyAppends < 1_000 || topologyAppends < 2 * topology.size()) {
      return;
    }
    topologyChannel.close();
    TopologyLog.compact(topologyFile, topology);
    topologyChannel = openAppend(topologyFile);
    topologyAppends = 0;
  }

  private static FileChannel openAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private void closeFiles() {
    try {
      if (currentChannel != null) {
        currentChannel.force(false);
        currentChannel.close();
      }
      for (Segment segment : segments.values()) {
        segment.close();
      }
      topologyChannel.force(false);
      topologyChannel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "Closing the store failed", e);
    }
  }
}
