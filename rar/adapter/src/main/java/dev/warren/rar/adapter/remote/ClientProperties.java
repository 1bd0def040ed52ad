package dev.warren.rar.adapter.remote;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.BasicProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Message properties and field tables between the engine's records and the Java client's types. The
 * client reads text as {@link LongString} and timestamps as {@link Date}; the engine uses {@link
 * String} and {@link Instant}, which is what the adapter's messages carry in both modes.
 */
final class ClientProperties {
  private ClientProperties() {}

  static AMQP.BasicProperties toClient(BasicProperties p) {
    if (p == null) {
      return null;
    }
    return new AMQP.BasicProperties(
        p.contentType(),
        p.contentEncoding(),
        p.headers() == null ? null : tableToClient(p.headers()),
        p.deliveryMode(),
        p.priority(),
        p.correlationId(),
        p.replyTo(),
        p.expiration(),
        p.messageId(),
        p.timestamp() == null ? null : toDate(p.timestamp()),
        p.type(),
        p.userId(),
        p.appId(),
        p.clusterId());
  }

  static BasicProperties toEngine(AMQP.BasicProperties p) {
    if (p == null) {
      return BasicProperties.EMPTY;
    }
    return new BasicProperties(
        p.getContentType(),
        p.getContentEncoding(),
        p.getHeaders() == null ? null : tableToEngine(p.getHeaders()),
        p.getDeliveryMode(),
        p.getPriority(),
        p.getCorrelationId(),
        p.getReplyTo(),
        p.getExpiration(),
        p.getMessageId(),
        p.getTimestamp() == null ? null : AmqpTimestamp.of(p.getTimestamp().toInstant()),
        p.getType(),
        p.getUserId(),
        p.getAppId(),
        p.getClusterId());
  }

  /** The Java client keeps timestamps as Dates (milliseconds); AMQP's are seconds. */
  private static Date toDate(AmqpTimestamp timestamp) {
    return new Date(Math.multiplyExact(timestamp.epochSeconds(), 1000L));
  }

  static Map<String, Object> tableToClient(Map<String, Object> table) {
    if (table == null) {
      return null;
    }
    Map<String, Object> converted = new LinkedHashMap<>();
    table.forEach((key, value) -> converted.put(key, valueToClient(value)));
    return converted;
  }

  static Map<String, Object> tableToEngine(Map<String, Object> table) {
    Map<String, Object> converted = new LinkedHashMap<>();
    table.forEach((key, value) -> converted.put(key, valueToEngine(value)));
    return converted;
  }

  @SuppressWarnings("unchecked")
  private static Object valueToClient(Object value) {
    if (value instanceof Instant instant) {
      return Date.from(instant);
    }
    if (value instanceof AmqpTimestamp timestamp) {
      return toDate(timestamp);
    }
    if (value instanceof Map<?, ?> map) {
      return tableToClient((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(item -> converted.add(valueToClient(item)));
      return converted;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Object valueToEngine(Object value) {
    if (value instanceof LongString text) {
      return text.toString();
    }
    if (value instanceof Date date) {
      return date.toInstant();
    }
    if (value instanceof Map<?, ?> map) {
      return tableToEngine((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(item -> converted.add(valueToEngine(item)));
      return converted;
    }
    return value;
  }
}
