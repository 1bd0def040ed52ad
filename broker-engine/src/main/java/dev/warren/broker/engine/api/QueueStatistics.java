package dev.warren.broker.engine.api;

/** One queue's message counters, message levels and consumers. */
public record QueueStatistics(
    String virtualHost,
    String name,
    MessageStats messageStats,
    MessageTotals totals,
    int consumers) {}
