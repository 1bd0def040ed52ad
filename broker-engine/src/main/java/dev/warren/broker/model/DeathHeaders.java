package dev.warren.broker.model;

import dev.warren.broker.protocol.BasicProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers RabbitMQ writes on a dead-lettered message: the {@code x-death} array (a {@link
 * DeathHistory}); {@code x-first-death-*} at the first death of its history; {@code x-last-death-*}
 * (RabbitMQ 3.13+) on every death. A publisher's own {@code x-death} is replaced, not merged, as in
 * RabbitMQ 4.0. The expiration property moves into {@code original-expiration}, so the copy does
 * not expire again.
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
    DeathHistory history =
        headers.get(X_DEATH) instanceof DeathHistory earlier ? earlier : DeathHistory.NONE;
    if (routingKeyOverride != null) {
      headers.remove(SenderSelected.CC);
    }
    headers.put(X_DEATH, history.with(message, queue, reason));
    if (history.isEmpty()) {
      headers.put("x-first-death-reason", reason);
      headers.put("x-first-death-queue", queue);
      headers.put("x-first-death-exchange", message.exchange());
    }
    headers.put("x-last-death-reason", reason);
    headers.put("x-last-death-queue", queue);
    headers.put("x-last-death-exchange", message.exchange());
    BasicProperties properties = message.properties().withHeaders(headers).withExpiration(null);
    String routingKey = routingKeyOverride != null ? routingKeyOverride : message.routingKey();
    return new Message(exchange, routingKey, properties, message.body());
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
