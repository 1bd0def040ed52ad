package dev.warren.broker.engine;

import dev.warren.broker.model.Consumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A channel's consumers by tag. Changed by the channel's owner thread; read by queues cancelling a
 * consumer on any thread.
 */
final class ChannelConsumers {
  private static final Consumer[] NONE = {};

  private final Map<String, Consumer> byTag = new ConcurrentHashMap<>();
  private int rotation;

  boolean contains(String tag) {
    return byTag.containsKey(tag);
  }

  void add(Consumer consumer) {
    byTag.put(consumer.tag(), consumer);
  }

  /** Removes and returns the consumer with this tag, or null. */
  Consumer remove(String tag) {
    return byTag.remove(tag);
  }

  /** Removes this very consumer; false if its tag is gone or taken by another one. */
  boolean remove(Consumer consumer) {
    return byTag.remove(consumer.tag(), consumer);
  }

  /** Removes and returns them all. */
  List<Consumer> removeAll() {
    List<Consumer> all = List.copyOf(byTag.values());
    all.forEach(this::remove);
    return all;
  }

  /**
   * Lets every consumer's queue deliver what the channel can take, starting one consumer further on
   * each call: credit freed under a channel-wide limit goes to the channel's queues in turn, not
   * always to the same one.
   */
  void dispatchAll() {
    Consumer[] all = byTag.values().toArray(NONE);
    if (all.length == 0) {
      return;
    }
    int start = Math.floorMod(rotation++, all.length);
    for (int i = 0; i < all.length; i++) {
      all[(start + i) % all.length].queue().dispatch();
    }
  }
}
