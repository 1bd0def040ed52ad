package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.rar.adapter.MessageConversion;
import dev.warren.rar.api.AmqpMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The adapter counts deliveries in a header of the message itself: a failed delivery is requeued as
 * a copy with the count raised, so the count survives restarts and no in-memory table can lose
 * track of a poison message. The copy also remembers the exchange and routing key of the original.
 */
final class DeliveryHeaders {
  static final String FAILED_DELIVERIES = "x-warren-failed-deliveries";
  static final String ORIGINAL_EXCHANGE = "x-warren-exchange";
  static final String ORIGINAL_ROUTING_KEY = "x-warren-routing-key";
  static final String PARKED_FROM = "x-warren-parked-from";

  private DeliveryHeaders() {}

  /** How many times this message has been delivered, this delivery included. */
  static int deliveryCount(Delivery delivery) {
    int failed = failedDeliveries(delivery);
    // the broker's own redelivery (a consumer died before acking) counts as one earlier delivery
    return failed + (delivery.redelivered() && failed == 0 ? 2 : 1);
  }

  static AmqpMessage toMessage(Delivery delivery) {
    Map<String, Object> headers = headers(delivery);
    int count = deliveryCount(delivery);
    return new AmqpMessage(
        String.valueOf(headers.getOrDefault(ORIGINAL_EXCHANGE, delivery.exchange())),
        String.valueOf(headers.getOrDefault(ORIGINAL_ROUTING_KEY, delivery.routingKey())),
        count > 1,
        count,
        MessageConversion.toApi(delivery.properties()),
        delivery.body());
  }

  /** The properties of the copy that replaces a message whose delivery failed. */
  static BasicProperties forRetry(Delivery delivery) {
    Map<String, Object> headers = new HashMap<>(headers(delivery));
    headers.put(FAILED_DELIVERIES, (long) deliveryCount(delivery));
    headers.putIfAbsent(ORIGINAL_EXCHANGE, delivery.exchange());
    headers.putIfAbsent(ORIGINAL_ROUTING_KEY, delivery.routingKey());
    return properties(delivery).withHeaders(headers);
  }

  /** The properties of a poison message moved to a dead-letter exchange or the parking queue. */
  static BasicProperties forDeadLetter(Delivery delivery, String queue) {
    Map<String, Object> headers = new HashMap<>(headers(delivery));
    headers.put(FAILED_DELIVERIES, (long) deliveryCount(delivery));
    headers.put(PARKED_FROM, queue);
    headers.putIfAbsent(ORIGINAL_EXCHANGE, delivery.exchange());
    headers.putIfAbsent(ORIGINAL_ROUTING_KEY, delivery.routingKey());
    return properties(delivery).withHeaders(headers);
  }

  static String originalRoutingKey(Delivery delivery) {
    return String.valueOf(
        headers(delivery).getOrDefault(ORIGINAL_ROUTING_KEY, delivery.routingKey()));
  }

  private static int failedDeliveries(Delivery delivery) {
    return headers(delivery).get(FAILED_DELIVERIES) instanceof Number n ? n.intValue() : 0;
  }

  private static BasicProperties properties(Delivery delivery) {
    return delivery.properties() == null ? BasicProperties.EMPTY : delivery.properties();
  }

  private static Map<String, Object> headers(Delivery delivery) {
    Map<String, Object> headers = properties(delivery).headers();
    return headers == null ? Map.of() : headers;
  }
}
