package dev.warren.broker.engine.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Read-only views of the broker's counters, for the management API and Prometheus. Counts are read
 * when asked (they may lag a concurrent operation by a moment); rates are per second over the last
 * sampling interval (RabbitMQ's {@code collect_statistics_interval}), zero until two samples exist.
 * Every call returns a fresh snapshot; nothing here changes the broker.
 */
public interface BrokerStatistics {

  /** How often rates are sampled. */
  Duration samplingInterval();

  OverviewStatistics overview();

  List<VirtualHostStatistics> virtualHosts();

  Optional<VirtualHostStatistics> virtualHost(String name);

  List<QueueStatistics> queues();

  Optional<QueueStatistics> queue(String virtualHost, String name);

  List<ExchangeStatistics> exchanges();

  Optional<ExchangeStatistics> exchange(String virtualHost, String name);

  List<ConnectionStatistics> connections();

  List<ChannelStatistics> channels();

  NodeStatistics node();

  MessageSizeHistogram messageSizes();
}
