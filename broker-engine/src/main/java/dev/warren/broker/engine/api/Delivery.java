package dev.warren.broker.engine.api;

import dev.warren.broker.protocol.BasicProperties;

/** A message pushed to a consumer (basic.deliver). */
public record Delivery(
    String consumerTag,
    long deliveryTag,
    boolean redelivered,
    String exchange,
    String routingKey,
    BasicProperties properties,
    byte[] body) {}
