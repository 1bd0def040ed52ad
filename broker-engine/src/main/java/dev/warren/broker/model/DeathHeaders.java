package dev.warren.broker.model;

import dev.warren.broker.protocol.BasicProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers RabbitMQ writes on a dead-lettered message ({@code rabbit_dead_letter}): the {@code
 * x-death} array, newest first, with one table per (queue, reason) whose count grows on every
 * further death; {@code x-first-death-*} set once; {@code x-last-death-*} (RabbitMQ 3.13+) on every
 * death. The expiration property moves into {@code original-expiration}, so the copy does not
 * expire again.
 */
final class DeathHeaders {
  static final String X_DEATH = "x-death";

  private DeathHeaders() {}

  /**
   * The message as it leaves {@code queue} for the dead-letter exchange. A routing-key override
   * (x-dead-letter-routing-key) replaces its keys, so its CC header goes too, as in RabbitMQ.
   */
  static Message deadLettered(
      Message message, String queue, String reason, String exchange, String routingKeyOverride) {
    Map<String, Object> headers =
        message.properties().headers() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(message.properties().headers());
    if (routingKeyOverride != null) {
      headers.remove(SenderSelected.CC);
    }
    headers.put(X_DEATH, deaths(headers.get(X_DEATH), message, queue, reason));
    headers.putIfAbsent("x-first-death-reason", reason);
    headers.putIfAbsent("x-first-death-queue", queue);
    headers.putIfAbsent("x-first-death-exchange", message.exchange());
    headers.put("x-last-death-reason", reason);
    headers.put("x-last-death-queue", queue);
    headers.put("x-last-death-exchange", message.exchange());
    BasicProperties properties = message.properties().withHeaders(headers).withExpiration(null);
    String routingKey = routingKeyOverride != null ? routingKeyOverride : message.routingKey();
    return new Message(exchange, routingKey, properties, message.body());
  }

  private static List<Object> deaths(
      Object existing, Message message, String queue, String reason) {
    List<Object> deaths = new ArrayList<>();
    Map<String, Object> same = null;
    if (existing instanceof List<?> list) {
      for (Object death : list) {
        if (same == null
            && death instanceof Map<?, ?> table
            && queue.equals(QueueArguments.textValue(table.get("queue")))
            && reason.equals(QueueArguments.textValue(table.get("reason")))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> found = new LinkedHashMap<>((Map<String, Object>) table);
          same = found;
        } else {
          deaths.add(death);
        }
      }
    }
    if (same != null) {
      long count = same.get("count") instanceof Number number ? number.longValue() : 0;
      same.put("count", count + 1);
    } else {
      same = newDeath(message, queue, reason);
    }
    deaths.add(0, same);
    return deaths;
  }

  private static Map<String, Object> newDeath(Message message, String queue, String reason) {
    Map<String, Object> death = new LinkedHashMap<>();
    death.put("count", 1L);
    death.put("reason", reason);
    death.put("queue", queue);
    death.put("time", Instant.ofEpochSecond(System.currentTimeMillis() / 1000));
    death.put("exchange", message.exchange());
    List<Object> keys = new ArrayList<>();
    keys.add(message.routingKey());
    keys.addAll(SenderSelected.keys(message.properties().headers(), SenderSelected.CC));
    death.put("routing-keys", keys);
    if (message.properties().expiration() != null) {
      death.put("original-expiration", message.properties().expiration());
    }
    return death;
  }

  /**
   * RabbitMQ's cycle rule: a message dead-lettered back to a queue it already died in is dropped
   * for that queue unless a rejection happened somewhere in the cycle (rejections are deliberate,
   * so they never count as a loop).
   */
  static boolean isCycle(Message deadLettered, String targetQueue, String reason) {
    if ("rejected".equals(reason)) {
      return false;
    }
    Map<String, Object> headers = deadLettered.properties().headers();
    if (!(headers.get(X_DEATH) instanceof List<?> deaths)) {
      return false;
    }
    for (Object death : deaths) {
      if (!(death instanceof Map<?, ?> table)) {
        return false;
      }
      if ("rejected".equals(QueueArguments.textValue(table.get("reason")))) {
        return false;
      }
      if (targetQueue.equals(QueueArguments.textValue(table.get("queue")))) {
        return true;
      }
    }
    return false;
  }
}
