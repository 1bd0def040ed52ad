package dev.warren.broker.engine.api;

/**
 * One virtual host's message counters (over its channels, open and closed), its queues' message
 * totals and its connections' traffic (open and closed): octets with rates, socket reads and
 * writes.
 */
public record VirtualHostStatistics(
    String name,
    MessageStats messageStats,
    MessageTotals queueTotals,
    Rated octetsReceived,
    Rated octetsSent,
    long packetsReceived,
    long packetsSent) {}
