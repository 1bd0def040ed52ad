package dev.warren.rar.adapter.tx;

import dev.warren.rar.api.MessageProperties;
import java.io.Serializable;

/** A publish held until its transaction commits; serializable so a prepared branch can be saved. */
public record PendingPublish(
    String exchange, String routingKey, MessageProperties properties, byte[] body)
    implements Serializable {}
