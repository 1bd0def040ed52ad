package dev.warren.broker.engine.api;

/** queue.declare-ok: the queue's name and its counts at the time of the declaration. */
public record QueueInfo(String name, int messageCount, int consumerCount) {}
