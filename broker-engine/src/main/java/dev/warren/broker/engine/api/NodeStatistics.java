package dev.warren.broker.engine.api;

/**
 * The node's resources: memory and disk as its alarms see them, and the process' file descriptors
 * and uptime.
 *
 * @param resources memory and disk against their alarm limits
 * @param fileDescriptorsUsed open file descriptors of the process, or -1 if unknown
 * @param fileDescriptorsLimit the process' file descriptor limit, or -1 if unknown
 * @param uptimeMillis since the broker started
 */
public record NodeStatistics(
    NodeResources resources,
    long fileDescriptorsUsed,
    long fileDescriptorsLimit,
    long uptimeMillis) {}
