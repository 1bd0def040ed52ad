package dev.warren.broker.store;

import java.time.Duration;

/**
 * Settings of the durable store and the resource alarms that protect it.
 *
 * @param fsync when writes are forced to disk
 * @param fsyncInterval the longest a write waits for its fsync under {@link FsyncPolicy#INTERVAL}
 * @param segmentBytes size at which a message segment file is closed and a new one started
 * @param memoryHighWatermark fraction of the maximum heap above which publishers are blocked
 * @param diskFreeLimitBytes free space on the data directory's disk below which publishers are
 *     blocked
 * @param queueMemoryMessages how many ready messages a queue keeps in memory; the rest are paged to
 *     disk
 */
public record StoreConfig(
    FsyncPolicy fsync,
    Duration fsyncInterval,
    long segmentBytes,
    double memoryHighWatermark,
    long diskFreeLimitBytes,
    int queueMemoryMessages) {

  /** The limits the standalone broker's options and the adapter's properties both obey. */
  public StoreConfig {
    if (fsync == null) {
      throw new IllegalArgumentException("needs an fsync policy: always, interval or never");
    }
    requirePositive("segment size", segmentBytes);
    requirePositive("free disk limit", diskFreeLimitBytes);
    requirePositive("queue memory limit", queueMemoryMessages);
    if (!(memoryHighWatermark > 0 && memoryHighWatermark <= 1)) {
      throw new IllegalArgumentException(
          "needs a fraction of the heap in (0, 1], not " + memoryHighWatermark);
    }
  }

  private static void requirePositive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("the " + what + " must be positive, not " + value);
    }
  }

  public static StoreConfig defaults() {
    return new StoreConfig(
        FsyncPolicy.ALWAYS, Duration.ofMillis(200), 16L << 20, 0.6, 50L << 20, 4096);
  }

  public StoreConfig withFsync(FsyncPolicy value) {
    return new StoreConfig(
        value,
        fsyncInterval,
        segmentBytes,
        memoryHighWatermark,
        diskFreeLimitBytes,
        queueMemoryMessages);
  }

  public StoreConfig withSegmentBytes(long value) {
    return new StoreConfig(
        fsync, fsyncInterval, value, memoryHighWatermark, diskFreeLimitBytes, queueMemoryMessages);
  }

  public StoreConfig withMemoryHighWatermark(double value) {
    return new StoreConfig(
        fsync, fsyncInterval, segmentBytes, value, diskFreeLimitBytes, queueMemoryMessages);
  }

  public StoreConfig withDiskFreeLimitBytes(long value) {
    return new StoreConfig(
        fsync, fsyncInterval, segmentBytes, memoryHighWatermark, value, queueMemoryMessages);
  }

  public StoreConfig withQueueMemoryMessages(int value) {
    return new StoreConfig(
        fsync, fsyncInterval, segmentBytes, memoryHighWatermark, diskFreeLimitBytes, value);
  }
}
