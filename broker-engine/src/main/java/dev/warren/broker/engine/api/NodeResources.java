package dev.warren.broker.engine.api;

/**
 * The node's memory and disk against their alarm limits, as RabbitMQ's node listing shows them.
 *
 * @param memoryUsed heap in use (after the last collection)
 * @param memoryLimit the memory high watermark in bytes
 * @param diskFree free bytes on the data directory's file system (-1 if unknown)
 * @param diskFreeLimit the free disk limit
 */
public record NodeResources(
    long memoryUsed,
    long memoryLimit,
    boolean memoryAlarm,
    long diskFree,
    long diskFreeLimit,
    boolean diskAlarm) {

  /** For a broker without a resource monitor. */
  public static final NodeResources UNKNOWN = new NodeResources(0, 0, false, -1, 0, false);
}
