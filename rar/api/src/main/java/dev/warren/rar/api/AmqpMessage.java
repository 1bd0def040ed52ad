package dev.warren.rar.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A message delivered to an {@link AmqpMessageListener} or returned by {@link AmqpConnection#rpc}.
 *
 * @param exchange the exchange it was published to ("" for the default exchange)
 * @param routingKey the routing key it was published with
 * @param redelivered whether an earlier delivery of it was not acknowledged
 * @param deliveryCount how many times the adapter has delivered it, this delivery included
 * @param properties its content-header properties
 * @param body its payload; not copied, do not modify
 */
public record AmqpMessage(
    String exchange,
    String routingKey,
    boolean redelivered,
    int deliveryCount,
    MessageProperties properties,
    byte[] body) {

  /** The application headers; empty if there are none. */
  public Map<String, Object> headers() {
    return properties.headers();
  }

  /** The body decoded as UTF-8, for text messages. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
