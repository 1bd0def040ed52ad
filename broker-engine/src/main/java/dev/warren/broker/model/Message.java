package dev.warren.broker.model;

import dev.warren.broker.protocol.BasicProperties;

/**
 * A published message as the broker keeps it: shared, never copied, by every queue it was routed
 * to. The body is the publisher's array itself.
 */
public record Message(
    String exchange, String routingKey, BasicProperties properties, byte[] body) {}
