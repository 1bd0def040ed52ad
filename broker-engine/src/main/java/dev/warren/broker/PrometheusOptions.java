package dev.warren.broker;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.MetricsConfig;
import java.util.Set;

/** The command-line options for the Prometheus endpoint (see {@link Main}). */
final class PrometheusOptions {

  static final Set<String> WITH_VALUE = Set.of("--prometheus-port", "--prometheus-bind");

  static final String USAGE =
      """
        --prometheus-port N         Prometheus metrics at /metrics (default 15692; 0: none)
        --prometheus-bind ADDR      address the Prometheus listener binds to (default 0.0.0.0)
      """;

  private PrometheusOptions() {}

  /** The standalone broker's defaults: the endpoint on, as with RabbitMQ's plugin enabled. */
  static BrokerConfig defaults(BrokerConfig config) {
    return config.withMetrics(MetricsConfig.standalone());
  }

  /** As for the management listener, 0 means no listener (not "any free port"). */
  static BrokerConfig apply(BrokerConfig config, String option, String value) {
    MetricsConfig metrics = config.metrics();
    return config.withMetrics(
        switch (option) {
          case "--prometheus-port" -> {
            int port = Main.port(option, value);
            yield metrics.withPrometheusPort(port == 0 ? MetricsConfig.OFF : port);
          }
          case "--prometheus-bind" -> metrics.withPrometheusBindAddress(value);
          default -> throw new IllegalStateException("unhandled option " + option);
        });
  }
}
