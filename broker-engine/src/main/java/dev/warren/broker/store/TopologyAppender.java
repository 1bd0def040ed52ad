package dev.warren.broker.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Appends topology changes to {@code topology.log} for the store thread, and compacts the log once
 * it holds mostly superseded records. If a change cannot be written or forced (a full disk), the
 * log is <em>broken</em>: its changes are no longer appended and the log is rewritten from the
 * in-memory topology (which holds every change) as soon as that works. While it is broken no
 * message write is accepted, since a message must never be confirmed before the declaration of its
 * queue is on disk.
 */
final class TopologyAppender {
  private static final long COMPACTION_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Path file;
  private final StoredTopology topology;
  private final FailureLog failures =
      new FailureLog(
          "Writing the topology log", "publishes are nacked until the log can be written again");
  private final FailureLog compactionFailures =
      new FailureLog(
          "Compacting the topology log", "the log grows until there is room to rewrite it");
  private FileChannel channel;
  private long bytes;
  private boolean dirty;
  private boolean broken;
  private int appends;
  private long nextCompaction;

  TopologyAppender(Path file, StoredTopology topology) throws IOException {
    this.file = file;
    this.topology = topology;
    this.channel = openAppend(file);
    this.bytes = channel.size();
    this.nextCompaction = System.nanoTime();
  }

  /** Appends one framed change, unless the log is broken (its rewrite will hold the change). */
  void append(byte[] framed) {
    if (broken) {
      return;
    }
    try {
      TopologyLog.writeFully(channel, framed);
      bytes += framed.length;
      dirty = true;
      appends++;
    } catch (IOException e) {
      fail(e);
      cutBack();
    }
  }

  /** Gives back the space a torn append took (the rewrite replaces the file anyway). */
  private void cutBack() {
    try {
      channel.truncate(bytes);
    } catch (IOException e) {
      // the rewrite will replace it
    }
  }

  /** True while the log misses changes: nothing may be confirmed until it is rewritten. */
  boolean broken() {
    return broken;
  }

  /**
   * Forces what was appended.
   *
   * @return false if the log is broken (now or before)
   */
  boolean force(FsyncPolicy policy) {
    if (broken) {
      return false;
    }
    if (dirty && policy != FsyncPolicy.NEVER) {
      try {
        channel.force(false);
      } catch (IOException e) {
        fail(e);
        return false;
      }
    }
    dirty = false;
    return true;
  }

  /** Rewrites a broken log from the in-memory topology, if the disk lets it. */
  void repairIfBroken() {
    if (broken) {
      rewrite(failures);
    }
  }

  /** Rewrites the log once it holds mostly superseded records (not too often if that fails). */
  void compactIfLarge() {
    boolean large = appends >= 1_000 && appends >= 2 * topology.size();
    if (!broken
        && large
        && System.nanoTime() - nextCompaction >= 0
        && !rewrite(compactionFailures)) {
      nextCompaction = System.nanoTime() + COMPACTION_RETRY_NANOS;
    }
  }

  /**
   * Replaces the log with one declaration per live item.
   *
   * @param log where a failure to write the new log goes (the old one is then untouched)
   * @return whether the log was replaced
   */
  private boolean rewrite(FailureLog log) {
    try {
      TopologyLog.compact(file, topology);
    } catch (IOException e) {
      log.failed(e);
      return false;
    }
    FileChannel old = channel;
    try {
      channel = openAppend(file);
      bytes = channel.size();
    } catch (IOException e) {
      channel = null;
      fail(e); // the old channel's file is replaced: a later rewrite opens the new one
      return false;
    } finally {
      closeQuietly(old);
    }
    broken = false;
    dirty = false;
    appends = 0;
    log.succeeded();
    return true;
  }

  private void fail(IOException e) {
    broken = true;
    failures.failed(e);
  }

  private static FileChannel openAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // its records are either forced or superseded by the rewrite
      }
    }
  }

  /** Forces and closes the log, rewriting it first if it is broken. */
  void close() {
    repairIfBroken();
    force(FsyncPolicy.ALWAYS);
    closeQuietly(channel);
  }
}
