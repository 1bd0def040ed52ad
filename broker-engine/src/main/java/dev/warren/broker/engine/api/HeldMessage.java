package dev.warren.broker.engine.api;

import dev.warren.broker.protocol.BasicProperties;

/**
 * A recovered message that the broker holds back from every consumer because it was delivered in a
 * transaction branch that was prepared before the broker stopped and is not decided yet (see {@link
 * Broker#heldMessages()}).
 */
public record HeldMessage(
    StoredMessageId id,
    String exchange,
    String routingKey,
    BasicProperties properties,
    byte[] body) {}
