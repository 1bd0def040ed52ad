package dev.warren.broker.engine.api;

import java.util.Map;

/**
 * An exchange at one moment; the default exchange's name is "".
 *
 * @param statistics messages in and out of it
 */
public record ExchangeSnapshot(
    String vhost,
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    Map<String, Object> arguments,
    EffectivePolicyView policy,
    ExchangeStatistics statistics) {}
