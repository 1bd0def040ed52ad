package dev.warren.broker.engine;

import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.Rejections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A channel's delivered, not yet acknowledged messages by delivery tag. Not thread-safe. */
final class UnackedMessages {

  /**
   * One outstanding delivery.
   *
   * @param consumer null for a message fetched with basic.get
   */
  record Unacked(long tag, QueueEntry entry, Queue queue, Consumer consumer) {}

  private final NavigableMap<Long, Unacked> byTag = new TreeMap<>();

  void add(Unacked unacked) {
    byTag.put(unacked.tag(), unacked);
  }

  /**
   * Removes what an ack/nack/reject names: the tag, or with {@code multiple} every tag up to it
   * (tag 0 with multiple means all, as in RabbitMQ).
   *
   * @throws dev.warren.broker.engine.api.BrokerException PRECONDITION_FAILED "unknown delivery tag
   *     N" if the tag is not outstanding
   */
  List<Unacked> take(long tag, boolean multiple) {
    if (multiple && tag == 0) {
      return takeAll();
    }
    if (!byTag.containsKey(tag)) {
      throw Rejections.unknownDeliveryTag(tag);
    }
    if (!multiple) {
      return List.of(byTag.remove(tag));
    }
    Map<Long, Unacked> upTo = byTag.headMap(tag, true);
    List<Unacked> taken = new ArrayList<>(upTo.values());
    upTo.clear();
    return taken;
  }

  /** The outstanding delivery with that tag, or null. */
  Unacked find(long tag) {
    return byTag.get(tag);
  }

  List<Unacked> takeAll() {
    List<Unacked> all = new ArrayList<>(byTag.values());
    byTag.clear();
    return all;
  }

  /**
   * Adds the number and body bytes of the outstanding messages of each queue to {@code counts}
   * (index 0 and 1 of the array), for listings.
   */
  void countByQueue(Map<Queue, long[]> counts) {
    for (Unacked unacked : byTag.values()) {
      long[] count = counts.computeIfAbsent(unacked.queue(), q -> new long[2]);
      count[0]++;
      count[1] += unacked.entry().message().body().length;
    }
  }

  int size() {
    return byTag.size();
  }

  /** Puts back messages whose settlement was rolled back. */
  void restore(List<Unacked> unacked) {
    for (Unacked message : unacked) {
      byTag.put(message.tag(), message);
    }
  }
}
