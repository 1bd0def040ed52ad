package dev.warren.broker.engine.api;

/**
 * An open channel at one moment.
 *
 * @param connection the details of its connection
 * @param number the channel number
 * @param confirm in confirm mode
 * @param transactional in transaction mode
 * @param prefetchCount the per-consumer prefetch for new consumers (basic.qos global=false)
 * @param globalPrefetchCount the channel-wide prefetch (basic.qos global=true)
 * @param unacknowledged messages delivered and not yet settled
 * @param unconfirmed publishes not yet confirmed
 * @param uncommittedMessages publishes held by an open transaction
 * @param uncommittedAcks settlements held by an open transaction
 * @param consumers consumers on the channel
 * @param statistics its message counters
 */
public record ChannelSnapshot(
    ConnectionDetails connection,
    String vhost,
    String user,
    int number,
    boolean confirm,
    boolean transactional,
    int prefetchCount,
    int globalPrefetchCount,
    int unacknowledged,
    int unconfirmed,
    int uncommittedMessages,
    int uncommittedAcks,
    int consumers,
    ChannelStatistics statistics) {}
