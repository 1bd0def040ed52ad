package dev.warren.broker.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Poison-message handling ({@code x-delivery-limit}, from RabbitMQ's quorum queues): every return
 * of a delivered message counts; the count travels in the {@code x-delivery-count} header, and a
 * message returned more often than the limit is dead-lettered (reason "delivery_limit").
 */
public final class DeliveryLimit {
  private DeliveryLimit() {}

  public static boolean exceeded(Long limit, int returns) {
    return limit != null && returns > limit;
  }

  /** The message as it is redelivered after {@code returns} returns. */
  public static Message counted(Message message, int returns) {
    Map<String, Object> headers =
        message.properties().headers() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(message.properties().headers());
    headers.put("x-delivery-count", (long) returns);
    return new Message(
        message.exchange(),
        message.routingKey(),
        message.properties().withHeaders(headers),
        message.body(),
        message.storeId());
  }
}
