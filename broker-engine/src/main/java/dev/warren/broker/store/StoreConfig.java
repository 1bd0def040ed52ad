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
