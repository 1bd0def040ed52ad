package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.MetricsConfig;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint's options, as RabbitMQ's rabbitmq_prometheus listener settings. */
class PrometheusOptionsTest {
  private static final BrokerConfig STANDALONE =
      PrometheusOptions.defaults(BrokerConfig.defaults());

  @Test
  void theStandaloneBrokerServesMetricsOnRabbitMqsPortByDefault() {
    BrokerConfig config = Main.parse(new String[0], STANDALONE);
    assertEquals(MetricsConfig.DEFAULT_PROMETHEUS_PORT, config.metrics().prometheusPort());
    assertEquals("0.0.0.0", config.metrics().prometheusBindAddress());
    assertFalse(BrokerConfig.defaults().metrics().prometheusEnabled(), "in-VM: no listener");
  }

  @Test
  void portAndBindAddressAreSetAndZeroMeansNoListener() {
    BrokerConfig config =
        Main.parse(
            new String[] {"--prometheus-port", "25692", "--prometheus-bind", "127.0.0.1"},
            STANDALONE);
    assertEquals(25692, config.metrics().prometheusPort());
    assertEquals("127.0.0.1", config.metrics().prometheusBindAddress());
    assertFalse(
        Main.parse(new String[] {"--prometheus-port", "0"}, STANDALONE)
            .metrics()
            .prometheusEnabled());
  }

  @Test
  void aBadPortIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--prometheus-port", "65536"}, STANDALONE));
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--prometheus-port", "many"}, STANDALONE));
  }
}
