package dev.warren.broker.engine.api;

import dev.warren.broker.protocol.BasicProperties;

/** A message pulled with basic.get; {@code messageCount} is what is left in the queue. */
public record GetResult(
    long deliveryTag,
    boolean redelivered,
    String exchange,
    String routingKey,
    int messageCount,
    BasicProperties properties,
    byte[] body) {}
