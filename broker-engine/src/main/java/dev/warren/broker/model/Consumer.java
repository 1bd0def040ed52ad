package dev.warren.broker.model;

import java.util.Map;

/**
 * A subscription of one channel to one queue. The unacknowledged count is guarded by the queue's
 * lock; it implements the per-consumer prefetch limit (0 = unlimited).
 */
public final class Consumer {
  private final String tag;
  private final Queue queue;
  private final DeliveryTarget target;
  private final boolean noAck;
  private final boolean exclusive;
  private final int prefetch;
  private final Map<String, Object> arguments;
  private final int priority;
  private int unacknowledged;

  public Consumer(
      String tag,
      Queue queue,
      DeliveryTarget target,
      boolean noAck,
      boolean exclusive,
      int prefetch,
      Map<String, Object> arguments) {
    this.tag = tag;
    this.queue = queue;
    this.target = target;
    this.noAck = noAck;
    this.exclusive = exclusive;
    this.prefetch = prefetch;
    this.arguments = arguments == null ? Map.of() : arguments;
    this.priority =
        this.arguments.get("x-priority") instanceof Number number ? number.intValue() : 0;
  }

  public String tag() {
    return tag;
  }

  public Queue queue() {
    return queue;
  }

  public DeliveryTarget target() {
    return target;
  }

  public boolean noAck() {
    return noAck;
  }

  public boolean exclusive() {
    return exclusive;
  }

  /** basic.qos's per-consumer prefetch count when it consumed (0 = unlimited). */
  public int prefetch() {
    return prefetch;
  }

  public Map<String, Object> arguments() {
    return arguments;
  }

  /** The x-priority consume argument: higher-priority consumers with credit are served first. */
  public int priority() {
    return priority;
  }

  boolean hasCredit() {
    return noAck || prefetch == 0 || unacknowledged < prefetch;
  }

  void delivered() {
    if (!noAck) {
      unacknowledged++;
    }
  }

  void settled() {
    if (!noAck && unacknowledged > 0) {
      unacknowledged--;
    }
  }
}
