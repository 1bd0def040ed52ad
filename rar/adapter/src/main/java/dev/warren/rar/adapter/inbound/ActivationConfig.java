package dev.warren.rar.adapter.inbound;

import java.util.List;
import java.util.Map;

/**
 * A validated MDB activation: the queue to consume, the topology to declare for it, and how to
 * deliver. See {@link AmqpActivationSpec} for the meaning of each property.
 */
public record ActivationConfig(
    String queue,
    String exchange,
    String exchangeType,
    List<String> routingKeys,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    Map<String, Object> queueArguments,
    int prefetch,
    int maxConcurrency,
    int maxDeliveries) {

  /** Where poison messages go when their queue has no dead-letter exchange. */
  public static final String PARKING_QUEUE = "warren.parking";

  public static final String DEAD_LETTER_EXCHANGE = "x-dead-letter-exchange";

  public ActivationConfig {
    routingKeys = List.copyOf(routingKeys);
    queueArguments = Map.copyOf(queueArguments);
  }

  public boolean hasDeadLetterExchange() {
    return queueArguments.containsKey(DEAD_LETTER_EXCHANGE);
  }
}
