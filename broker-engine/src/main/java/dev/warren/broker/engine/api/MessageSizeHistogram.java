package dev.warren.broker.engine.api;

import java.util.List;

/**
 * Body sizes of the messages received from publishers, in RabbitMQ's buckets.
 *
 * @param upperBounds each bucket's inclusive upper bound in bytes, ascending; a last bucket without
 *     bound takes larger messages
 * @param counts messages per bucket (not cumulative), one more than there are bounds
 * @param sum total bytes of all messages counted
 */
public record MessageSizeHistogram(List<Long> upperBounds, List<Long> counts, long sum) {

  public MessageSizeHistogram {
    upperBounds = List.copyOf(upperBounds);
    counts = List.copyOf(counts);
    if (counts.size() != upperBounds.size() + 1) {
      throw new IllegalArgumentException("one count per bucket and one above the last bound");
    }
  }

  /** How many messages were counted. */
  public long count() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }
}
