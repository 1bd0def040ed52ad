package dev.warren.broker.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sender-selected distribution: the {@code CC} and {@code BCC} headers (arrays of strings) add
 * routing keys to a publish; {@code BCC} is removed before the message reaches any queue, as in
 * RabbitMQ.
 */
public final class SenderSelected {
  static final String CC = "CC";
  static final String BCC = "BCC";

  private SenderSelected() {}

  /** The routing key followed by the CC and BCC keys (duplicates are harmless to routing). */
  static List<String> routingKeys(String routingKey, Map<String, Object> headers) {
    if (headers == null || (!headers.containsKey(CC) && !headers.containsKey(BCC))) {
      return List.of(routingKey);
    }
    List<String> keys = new ArrayList<>();
    keys.add(routingKey);
    keys.addAll(keys(headers, CC));
    keys.addAll(keys(headers, BCC));
    return keys;
  }

  /** The string values of a CC or BCC header; anything else in it is ignored. */
  static List<String> keys(Map<String, Object> headers, String header) {
    if (headers == null || !(headers.get(header) instanceof List<?> values)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (Object value : values) {
      String key = QueueArguments.textValue(value);
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** The message as queues keep it: without its BCC header. */
  public static Message withoutBcc(Message message) {
    Map<String, Object> headers = message.properties().headers();
    if (headers == null || !headers.containsKey(BCC)) {
      return message;
    }
    Map<String, Object> stripped = new LinkedHashMap<>(headers);
    stripped.remove(BCC);
    return new Message(
        message.exchange(),
        message.routingKey(),
        message.properties().withHeaders(stripped),
        message.body(),
        message.storeId());
  }
}
