package dev.warren.rar.adapter;

import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.RawLongString;
import dev.warren.rar.api.MessageProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        p.timestamp() == null ? null : p.timestamp().toInstant(),
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
        p.timestamp() == null ? null : AmqpTimestamp.of(p.timestamp()),
        p.type(),
        p.userId(),
        p.appId(),
        null);
  }

  /**
   * AMQP field tables may carry void values, which an immutable map cannot hold; timestamps are
   * given to applications as Instants, like the timestamp property, and long strings as Strings.
   */
  private static Map<String, Object> withoutNullValues(Map<String, Object> headers) {
    if (headers == null) {
      return Map.of();
    }
    return headers.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .collect(
            java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> forApplication(e.getValue())));
  }

  private static Object forApplication(Object value) {
    if (value instanceof AmqpTimestamp timestamp) {
      return timestamp.toInstant();
    }
    if (value instanceof RawLongString raw) {
      return raw.text();
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(item -> converted.add(forApplication(item)));
      return converted;
    }
    if (value instanceof Map<?, ?> table) {
      Map<Object, Object> converted = new LinkedHashMap<>();
      table.forEach((key, item) -> converted.put(key, forApplication(item)));
      return converted;
    }
    return value;
  }
}
