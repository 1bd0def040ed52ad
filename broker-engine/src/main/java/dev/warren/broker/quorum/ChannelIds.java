package dev.warren.broker.quorum;

import dev.warren.broker.model.DeliveryTarget;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers for this node's channels, as consumer keys in the log name them. Weak: a closed channel's
 * number is forgotten with it.
 */
final class ChannelIds {
  private static final AtomicLong NEXT = new AtomicLong(System.currentTimeMillis() << 16);
  private static final Map<DeliveryTarget, Long> IDS = new WeakHashMap<>();

  private ChannelIds() {}

  static synchronized long of(DeliveryTarget channel) {
    return IDS.computeIfAbsent(channel, c -> NEXT.incrementAndGet());
  }
}
