package dev.warren.broker.engine.api;

/**
 * An open connection at one moment.
 *
 * @param state "running", or RabbitMQ's "blocked"/"blocking" under a resource alarm
 * @param channels open channels
 * @param statistics its socket traffic
 */
public record ConnectionSnapshot(
    ConnectionDetails details,
    String vhost,
    String user,
    String state,
    int channels,
    ConnectionStatistics statistics) {}
