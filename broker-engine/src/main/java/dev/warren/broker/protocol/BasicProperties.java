package dev.warren.broker.protocol;

import java.util.Map;

/**
 * The fourteen content-header properties of the basic class, in spec order. Every property is
 * optional: {@code null} means absent, and an absent property is not written on the wire.
 */
public record BasicProperties(
    String contentType,
    String contentEncoding,
    Map<String, Object> headers,
    Integer deliveryMode,
    Integer priority,
    String correlationId,
    String replyTo,
    String expiration,
    String messageId,
    AmqpTimestamp timestamp,
    String type,
    String userId,
    String appId,
    String clusterId) {

  public static final BasicProperties EMPTY =
      new BasicProperties(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Delivery mode 2 asks the broker to write the message to disk in a durable queue. */
  public boolean persistent() {
    return deliveryMode != null && deliveryMode == 2;
  }

  public BasicProperties withExpiration(String newExpiration) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        newExpiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withReplyTo(String newReplyTo) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        newReplyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  public BasicProperties withHeaders(Map<String, Object> newHeaders) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        newHeaders,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }
}
