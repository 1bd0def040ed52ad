package dev.warren.broker.quorum;

/** A quorum queue's name in its shard's log. */
public record QueueKey(String virtualHost, String name) {}
