package dev.warren.broker.engine.api;

/**
 * One open channel's message counters, named as RabbitMQ names channels: the connection's name and
 * the channel number.
 *
 * @param publisher whether the channel has published (RabbitMQ counts such channels as publishers)
 */
public record ChannelStatistics(
    String connectionName,
    int number,
    String virtualHost,
    String user,
    MessageStats messageStats,
    boolean publisher) {}
