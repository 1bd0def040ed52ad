package dev.warren.broker.metrics;

import java.util.HashSet;
import java.util.Set;

/**
 * A virtual host's counters as the sum of its channels' and connections' counters: the open ones
 * are read when asked, the closed ones were added to a retired total when they closed. Both happen
 * under this object's lock, so a channel is never counted twice or not at all, and the totals never
 * go backwards (a Prometheus counter that did would read as a reset).
 */
public final class VirtualHostCounters {
  private final Set<ChannelCounters> channels = new HashSet<>();
  private final long[] retiredChannels = new long[ChannelCounters.TOTALS];
  private final Set<ConnectionCounters> connections = new HashSet<>();
  private final long[] retiredConnections = new long[ConnectionCounters.VALUES];
  private final RateWindow rates = new RateWindow();

  public synchronized void opened(ChannelCounters channel) {
    channels.add(channel);
  }

  public synchronized void closed(ChannelCounters channel) {
    if (channels.remove(channel)) {
      channel.addTo(retiredChannels);
    }
  }

  public synchronized void opened(ConnectionCounters connection) {
    connections.add(connection);
  }

  public synchronized void closed(ConnectionCounters connection) {
    if (connections.remove(connection)) {
      long[] last = connection.values();
      for (int i = 0; i < last.length; i++) {
        retiredConnections[i] += last[i];
      }
    }
  }

  /** The channels' counters and size histogram, laid out as {@link ChannelCounters#addTo}. */
  public synchronized long[] channelTotals() {
    long[] totals = retiredChannels.clone();
    for (ChannelCounters channel : channels) {
      channel.addTo(totals);
    }
    return totals;
  }

  /** The connections' traffic, laid out as {@link ConnectionCounters#values}. */
  public synchronized long[] connectionTotals() {
    long[] totals = retiredConnections.clone();
    for (ConnectionCounters connection : connections) {
      long[] values = connection.values();
      for (int i = 0; i < values.length; i++) {
        totals[i] += values[i];
      }
    }
    return totals;
  }

  public RateWindow rates() {
    return rates;
  }
}
