package dev.warren.broker.engine.api;

/**
 * Lifecycle events since the broker started, with their rates (RabbitMQ's {@code churn_rates} and
 * the Prometheus {@code *_opened_total}/{@code *_closed_total} counters). A queue is declared by
 * every non-passive queue.declare, and created only by one that made it.
 */
public record ChurnStatistics(
    Rated connectionsOpened,
    Rated connectionsClosed,
    Rated channelsOpened,
    Rated channelsClosed,
    Rated queuesDeclared,
    Rated queuesCreated,
    Rated queuesDeleted) {}
