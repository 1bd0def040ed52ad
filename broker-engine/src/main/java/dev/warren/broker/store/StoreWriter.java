package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence.Synced;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  private final StoreConfig config;
  private final Thread thread;
  private final MessageSegments segments;
  private final TopologyAppender topologyLog;

  private final List<Command> batch = new ArrayList<>();
  private final List<Synced> waiting = new ArrayList<>();

  private long lastSyncNanos = System.nanoTime();

  StoreWriter(
      Path segmentDirectory,
      Path topologyFile,
      StoredTopology topology,
      StoreConfig config,
      TreeMap<Long, Segment> recovered,
      long nextSegmentIndex)
      throws IOException {
    this.config = config;
    this.segments = new MessageSegments(segmentDirectory, config, recovered, nextSegmentIndex);
    this.topologyLog = new TopologyAppender(topologyFile, topology);
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
        endBatch(stopping);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "Store thread failed; pending publishes are nacked", e);
        stopping |= failAll();
      }
    }
    segments.close();
    topologyLog.close();
  }

  /**
   * Writes what the batch left in buffers, retries what failed before (a broken topology log,
   * acks), and syncs if that is due. Disk errors are handled where they happen: see {@link
   * MessageSegments} and {@link TopologyAppender}.
   */
  private void endBatch(boolean stopping) {
    segments.flush();
    segments.writeAcks(); // deletes settled segments first: that may make room for the rest
    topologyLog.repairIfBroken();
    if (!waiting.isEmpty() && (stopping || syncDue())) {
      syncAndNotify();
    }
    topologyLog.compactIfLarge();
    notifyFailedWrites();
  }

  private void apply(Command command) {
    if (command instanceof Write write) {
      PendingWrite pending = write.pending();
      if (pending.settled()) {
        segments.skip(pending);
      } else if (topologyLog.broken()) {
        segments.skip(pending);
        notifyFailed(pending);
      } else if (segments.append(write)) {
        waiting.add(pending);
      }
    } else if (command instanceof Ack ack) {
      segments.acknowledge(ack.id(), ack.queueId());
    } else if (command instanceof Sync sync) {
      if (topologyLog.broken()) {
        notifyFailed(sync.callback());
      } else {
        waiting.add(sync.callback());
      }
    } else if (command instanceof TopologyChange change) {
      topologyLog.append(change.framed());
    }
  }

  /**
   * A bug, not a disk error: fails every publish of the batch and every one waiting for a sync.
   *
   * @return whether the failed batch held the stop command
   */
  private boolean failAll() {
    boolean stop = false;
    for (Command command : batch) {
      stop |= command instanceof Stop;
      if (command instanceof Write write) {
        if (write.pending().segment() == null) {
          segments.skip(write.pending()); // never framed: no segment counts it
        }
        notifyFailed(write.pending());
      } else if (command instanceof Sync sync) {
        notifyFailed(sync.callback());
      }
    }
    batch.clear();
    segments.failUnforced();
    failWaiting();
    return stop;
  }

  private void failWaiting() {
    notifyFailedWrites();
    for (Synced callback : waiting) {
      notifyFailed(callback);
    }
    waiting.clear();
  }

  /** Tells the publishers of failed writes, before any later sync is reported. */
  private void notifyFailedWrites() {
    for (PendingWrite pending : segments.takeFailed()) {
      notifyFailed(pending);
    }
  }

  private static void notifyFailed(Synced callback) {
    try {
      callback.failed();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Store callback failed", e);
    }
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

  /**
   * Forces the topology log and the current segment, then confirms what waited for that. If either
   * cannot be forced, the writes not yet forced are undone and everything waiting fails: a confirm
   * must never come before what it depends on is on disk. An explicit sync (a transaction's commit,
   * a two-phase commit's ack) also needs every ack before it on disk; a publish never does.
   */
  private void syncAndNotify() {
    notifyFailedWrites();
    if (!topologyLog.force(config.fsync())) {
      segments.failUnforced();
      failWaiting();
      return;
    }
    if (!segments.force()) {
      failWaiting();
      return;
    }
    boolean acksDurable = segments.acksDurable();
    lastSyncNanos = System.nanoTime();
    if (!acksDurable) {
      waiting.removeIf(
          callback -> {
            boolean explicitSync = !(callback instanceof PendingWrite);
            if (explicitSync) {
              notifyFailed(callback);
            }
            return explicitSync;
          });
    }
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
}
