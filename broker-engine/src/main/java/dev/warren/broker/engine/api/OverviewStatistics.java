package dev.warren.broker.engine.api;

/** The node's totals: what RabbitMQ's management overview shows. */
public record OverviewStatistics(
    MessageStats messageStats,
    MessageTotals queueTotals,
    ObjectTotals objectTotals,
    ChurnStatistics churn) {}
