package dev.warren.broker.engine.api;

import java.util.Map;

/**
 * A binding; the default exchange's implicit binding to every queue is listed too, with source ""
 * (as RabbitMQ lists it).
 *
 * @param toQueue whether the destination is a queue (else an exchange)
 */
public record BindingSnapshot(
    String vhost,
    String source,
    String destination,
    boolean toQueue,
    String routingKey,
    Map<String, Object> arguments) {}
