package dev.warren.broker.engine.api;

import java.util.Map;

/**
 * A consumer at one moment.
 *
 * @param connection its channel's connection
 * @param channel its channel's number
 * @param ackRequired false for a no-ack consumer
 * @param prefetchCount its own prefetch limit (0: none)
 * @param active false for a waiting single-active-consumer
 */
public record ConsumerSnapshot(
    String vhost,
    String queue,
    String tag,
    ConnectionDetails connection,
    String user,
    int channel,
    boolean ackRequired,
    boolean exclusive,
    int prefetchCount,
    Map<String, Object> arguments,
    boolean active) {}
