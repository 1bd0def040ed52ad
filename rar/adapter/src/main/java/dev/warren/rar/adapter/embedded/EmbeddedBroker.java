package dev.warren.rar.adapter.embedded;

import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.store.StoreConfig;
import dev.warren.rar.adapter.AdapterConfig;
import dev.warren.rar.adapter.BrokerBackend;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Warren engine in this server's JVM, shared by every adapter instance on its data directory.
 */
public final class EmbeddedBroker implements BrokerBackend {
  private final BrokerEngine engine;
  private final AdapterConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedBroker(BrokerEngine engine, AdapterConfig config) {
    this.engine = engine;
    this.config = config;
  }

  /**
   * Starts the engine for this data directory, or joins the one already running there.
   *
   * @param hold recovered messages to hold back (see {@link Broker#heldMessages()}), if it starts
   */
  public static EmbeddedBroker start(AdapterConfig config, Collection<StoredMessageId> hold) {
    return new EmbeddedBroker(EngineRegistry.acquire(config, hold), config);
  }

  @Override
  public BrokerConnection connect(String clientName) {
    return engine.broker().connect(config.virtualHost(), config.defaultUser(), clientName);
  }

  @Override
  public ResourceAlarms alarms() {
    return engine.broker().alarms();
  }

  /** Every effective setting of the engine, as the engine it joined runs with them. */
  @Override
  public String description() {
    StoreConfig store = config.store();
    return String.format(
        Locale.ROOT,
        "embedded broker, AMQP port %s on %s, management port %s on %s, Prometheus port %s, data %s,"
            + " user %s, definitions %s, fsync %s, memory high watermark %s, disk free limit %d"
            + " bytes",
        engine.amqpPort() < 0 ? "none" : String.valueOf(engine.amqpPort()),
        config.bindAddress(),
        engine.managementPort() < 0 ? "none" : String.valueOf(engine.managementPort()),
        config.managementBindAddress(),
        engine.prometheusPort() < 0 ? "none" : String.valueOf(engine.prometheusPort()),
        engine.config().dataDir(),
        config.defaultUser(),
        config.definitionsFile() == null ? "none" : config.definitionsFile(),
        store.fsync().name().toLowerCase(Locale.ROOT),
        store.memoryHighWatermark(),
        store.diskFreeLimitBytes());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      EngineRegistry.release(engine);
    }
  }

  /** The engine's own facade, for what only an embedded broker has (users, the AMQP port). */
  public Broker broker() {
    return engine.broker();
  }

  /** The port external AMQP clients connect to, or -1 when there is no listener. */
  public int amqpPort() {
    return engine.amqpPort();
  }
}
