package dev.warren.broker.model;

import dev.warren.broker.protocol.AmqpTimestamp;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-death} header as the broker writes it: one table per queue and reason a message died
 * for, newest first, its {@code count} growing with every further death there (RabbitMQ 3.13+).
 * RabbitMQ 4.0 keeps this history apart from the headers a publisher sends and never reads a
 * publisher's own {@code x-death}: a message republished with one starts a new history. Warren
 * tells the two apart by type: a publisher's {@code x-death} decodes to a plain list, never to this
 * one. Immutable; the store keeps the distinction across restarts.
 */
public final class DeathHistory extends AbstractList<Object> {
  static final DeathHistory NONE = new DeathHistory(List.of());

  private final List<Object> deaths;

  /** A history read back from the store, in the order it was written. */
  public DeathHistory(List<Object> deaths) {
    this.deaths = Collections.unmodifiableList(new ArrayList<>(deaths));
  }

  @Override
  public Object get(int index) {
    return deaths.get(index);
  }

  @Override
  public int size() {
    return deaths.size();
  }

  /**
   * This history with one more death: the table for the same queue and reason, its count raised,
   * moves to the front; otherwise a new table goes there.
   *
   * @param message the message as it was when it died (exchange, routing keys, expiration)
   */
  DeathHistory with(Message message, String queue, String reason) {
    List<Object> updated = new ArrayList<>(deaths.size() + 1);
    Map<String, Object> same = null;
    for (Object death : deaths) {
      if (same == null
          && death instanceof Map<?, ?> table
          && queue.equals(QueueArguments.textValue(table.get("queue")))
          && reason.equals(QueueArguments.textValue(table.get("reason")))) {
        same = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : table.entrySet()) {
          same.put(String.valueOf(entry.getKey()), entry.getValue());
        }
        long count = same.get("count") instanceof Number number ? number.longValue() : 0;
        same.put("count", count + 1);
      } else {
        updated.add(death);
      }
    }
    updated.add(0, same != null ? same : newDeath(message, queue, reason));
    return new DeathHistory(updated);
  }

  private static Map<String, Object> newDeath(Message message, String queue, String reason) {
    Map<String, Object> death = new LinkedHashMap<>();
    death.put("count", 1L);
    death.put("reason", reason);
    death.put("queue", queue);
    death.put("time", new AmqpTimestamp(System.currentTimeMillis() / 1000));
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
}
