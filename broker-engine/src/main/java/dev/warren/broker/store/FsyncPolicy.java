package dev.warren.broker.store;

/** When the store forces its writes to disk, and so when confirms and tx.commit-ok are sent. */
public enum FsyncPolicy {
  /**
   * Group commit: every batch of writes is fsynced before the publishes in it are confirmed. One
   * fsync covers everything that arrived while the previous one ran.
   */
  ALWAYS,
  /** At most one fsync per interval; confirms wait for it. Fewer fsyncs, higher confirm latency. */
  INTERVAL,
  /** Never fsync: confirmed once written to the OS. Survives a broker crash, not a power loss. */
  NEVER;

  /** Parses "always", "interval" or "never" (any case). */
  public static FsyncPolicy parse(String value) {
    return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
