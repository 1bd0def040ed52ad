package dev.warren.broker;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.store.FsyncPolicy;
import dev.warren.broker.store.StoreConfig;
import java.util.Set;

/** The command-line options for the store and the resource alarms (see {@link Main}). */
final class StoreOptions {

  static final Set<String> WITH_VALUE =
      Set.of(
          "--fsync",
          "--segment-size",
          "--memory-high-watermark",
          "--disk-free-limit",
          "--queue-memory-limit");

  static final String USAGE =
      """
        --fsync POLICY              always (group commit, default), interval (at most every 200 ms)
                                    or never (confirm once written to the OS)
        --segment-size BYTES        size of a message segment file (default 16777216)
        --memory-high-watermark F   block publishers above F x max heap (default 0.6)
        --disk-free-limit BYTES     block publishers below this free disk space (default 52428800)
        --queue-memory-limit N      ready messages a queue keeps in memory before paging to disk
                                    (default 4096)
      """;

  private StoreOptions() {}

  static BrokerConfig apply(BrokerConfig config, String option, String value) {
    StoreConfig store = config.store();
    try {
      return config.withStore(
          switch (option) {
            case "--fsync" -> store.withFsync(FsyncPolicy.parse(value));
            case "--segment-size" -> store.withSegmentBytes(Long.parseLong(value.trim()));
            case "--memory-high-watermark" ->
                store.withMemoryHighWatermark(Double.parseDouble(value.trim()));
            case "--disk-free-limit" -> store.withDiskFreeLimitBytes(Long.parseLong(value.trim()));
            case "--queue-memory-limit" ->
                store.withQueueMemoryMessages(Integer.parseInt(value.trim()));
            default -> throw new IllegalStateException("unhandled option " + option);
          });
    } catch (IllegalArgumentException e) {
      // StoreConfig checks the ranges; the option is named here
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }
}
