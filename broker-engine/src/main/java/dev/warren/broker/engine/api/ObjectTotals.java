package dev.warren.broker.engine.api;

/**
 * How many objects exist now (RabbitMQ's {@code object_totals}), plus the publishers: channels that
 * have published at least once.
 */
public record ObjectTotals(
    int connections, int channels, int exchanges, int queues, int consumers, int publishers) {}
