package dev.warren.rar.adapter;

import dev.warren.broker.protocol.BasicProperties;
import dev.warren.rar.api.MessageProperties;
import java.util.Map;

/** Translates between the engine's property record and the one applications compile against. */
public final class MessageConversion {

  private MessageConversion() {}

  public static MessageProperties toApi(BasicProperties p) {
    if (p == null) {
      return MessageProperties.EMPTY;
    }
    return new MessageProperties(
        p.contentType(),
        p.contentEncoding(),
        withoutNullValues(p.headers()),
        p.deliveryMode(),
        p.priority(),
        p.correlationId(),
        p.replyTo(),
        p.expiration(),
        p.messageId(),
        p.timestamp(),
        p.type(),
        p.userId(),
        p.appId());
  }

  public static BasicProperties toEngine(MessageProperties p) {
    if (p == null) {
      return BasicProperties.EMPTY;
    }
    return new BasicProperties(
        p.contentType(),
        p.contentEncoding(),
        p.headers().isEmpty() ? null : p.headers(),
        p.deliveryMode(),
        p.priority(),
        p.correlationId(),
        p.replyTo(),
        p.expiration(),
        p.messageId(),
        p.timestamp(),
        p.type(),
        p.userId(),
        p.appId(),
        null);
  }

  /** AMQP field tables may carry void values, which an immutable map cannot hold. */
  private static Map<String, Object> withoutNullValues(Map<String, Object> headers) {
    if (headers == null) {
      return Map.of();
    }
    return headers.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
