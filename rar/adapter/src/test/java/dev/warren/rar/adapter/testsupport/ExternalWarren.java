package dev.warren.rar.adapter.testsupport;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.testsupport.FreePorts;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The standalone Warren broker: its engine with an AMQP listener on a free loopback port, started
 * in the test's JVM as the command line starts it. Restarting keeps port and data directory.
 */
public final class ExternalWarren implements ExternalBroker {
  private final BrokerConfig config;
  private BrokerEngine engine;

  private ExternalWarren(BrokerConfig config) {
    this.config = config;
    this.engine = BrokerEngine.start(config);
  }

  public static ExternalWarren start(Path dataDirectory) {
    return start(dataDirectory, UnaryOperator.identity());
  }

  /**
   * @param configure further settings (TLS, for instance) on top of port, address and data
   */
  public static ExternalWarren start(Path dataDirectory, UnaryOperator<BrokerConfig> configure) {
    return new ExternalWarren(
        configure.apply(
            BrokerConfig.defaults()
                .withBindAddress("127.0.0.1")
                .withPort(FreePorts.take())
                .withDataDir(dataDirectory)));
  }

  @Override
  public int port() {
    return config.port();
  }

  /** The AMQPS port when TLS is configured. */
  public int tlsPort() {
    return engine.amqpsPort();
  }

  @Override
  public synchronized void restart() {
    stop();
    engine = BrokerEngine.start(config);
  }

  /** Stops the broker for good, or until {@link #restart}. */
  public synchronized void stop() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
