package dev.warren.broker.prometheus;

import dev.warren.broker.engine.MetricsConfig;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.http.HttpListener;
import dev.warren.broker.http.HttpListenerConfig;
import dev.warren.broker.server.EventLoops;

/**
 * The Prometheus endpoint's listener (RabbitMQ's rabbitmq_prometheus, port 15692): a plain HTTP
 * listener of the broker's, without authentication, as RabbitMQ's.
 */
public final class PrometheusServer implements AutoCloseable {
  private final HttpListener listener;

  private PrometheusServer(HttpListener listener) {
    this.listener = listener;
  }

  /**
   * Opens the listener.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static PrometheusServer start(MetricsConfig config, BrokerAdmin broker, EventLoops loops) {
    return new PrometheusServer(
        HttpListener.start(
            HttpListenerConfig.defaults(
                "prometheus", config.prometheusBindAddress(), config.prometheusPort()),
            loops.acceptors(),
            loops.workers(),
            null,
            new MetricsEndpoint(broker)));
  }

  public int port() {
    return listener.port();
  }

  public ListenerInfo listener() {
    return new ListenerInfo("http/prometheus", listener.config().bindAddress(), listener.port());
  }

  @Override
  public void close() {
    listener.close();
  }
}
