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
            case "--segment-size" -> store.withSegmentBytes(positive(option, value));
            case "--memory-high-watermark" -> store.withMemoryHighWatermark(fraction(value));
            case "--disk-free-limit" -> store.withDiskFreeLimitBytes(positive(option, value));
            case "--queue-memory-limit" ->
                store.withQueueMemoryMessages(Math.toIntExact(positive(option, value)));
            default -> throw new IllegalStateException("unhandled option " + option);
          });
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private static long positive(String option, String value) {
    long number = Long.parseLong(value.trim());
    if (number <= 0) {
      throw new IllegalArgumentException("needs a positive number of bytes, not " + value);
    }
    return number;
  }

  private static double fraction(String value) {
    double number = Double.parseDouble(value.trim());
    if (!(number > 0 && number <= 1)) {
      throw new IllegalArgumentException("needs a fraction of the heap in (0, 1], not " + value);
    }
    return number;
  }
}
