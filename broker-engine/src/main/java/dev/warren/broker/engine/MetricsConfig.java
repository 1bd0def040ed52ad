package dev.warren.broker.engine;

import java.time.Duration;

/**
 * Statistics and the Prometheus endpoint (RabbitMQ's {@code rabbitmq_prometheus}, port 15692).
 *
 * @param statisticsInterval how often rates are sampled (RabbitMQ's {@code
 *     collect_statistics_interval}, 5 s)
 * @param prometheusPort HTTP port of the metrics endpoint; 0 picks a free one, -1 opens none
 * @param prometheusBindAddress address the metrics endpoint binds to
 */
public record MetricsConfig(
    Duration statisticsInterval, int prometheusPort, String prometheusBindAddress) {

  public static final int DEFAULT_PROMETHEUS_PORT = 15692;
  public static final int OFF = -1;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  public MetricsConfig {
    if (statisticsInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "the statistics interval must be at least 1 ms, not " + statisticsInterval);
    }
    if (prometheusPort < OFF || prometheusPort > 65535) {
      throw new IllegalArgumentException("no such port: " + prometheusPort);
    }
  }

  /** No Prometheus listener: the engine's default, e.g. for in-VM tests. */
  public static final MetricsConfig NONE = new MetricsConfig(DEFAULT_INTERVAL, OFF, "0.0.0.0");

  /** What the standalone broker opens unless told otherwise, as RabbitMQ's plugin does. */
  public static MetricsConfig standalone() {
    return NONE.withPrometheusPort(DEFAULT_PROMETHEUS_PORT);
  }

  public boolean prometheusEnabled() {
    return prometheusPort != OFF;
  }

  public MetricsConfig withStatisticsInterval(Duration value) {
    return new MetricsConfig(value, prometheusPort, prometheusBindAddress);
  }

  public MetricsConfig withPrometheusPort(int value) {
    return new MetricsConfig(statisticsInterval, value, prometheusBindAddress);
  }

  public MetricsConfig withPrometheusBindAddress(String value) {
    return new MetricsConfig(statisticsInterval, prometheusPort, value);
  }
}
