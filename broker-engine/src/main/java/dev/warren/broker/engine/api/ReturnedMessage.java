package dev.warren.broker.engine.api;

import dev.warren.broker.protocol.BasicProperties;

/** An unroutable mandatory message sent back to its publisher (basic.return). */
public record ReturnedMessage(
    int replyCode,
    String replyText,
    String exchange,
    String routingKey,
    BasicProperties properties,
    byte[] body) {}
