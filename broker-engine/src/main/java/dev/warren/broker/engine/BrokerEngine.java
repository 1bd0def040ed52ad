package dev.warren.broker.engine;

import dev.warren.broker.cluster.Clustering;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.model.VirtualHostLimits;
import dev.warren.broker.quorum.QuorumQueues;
import dev.warren.broker.server.AmqpServer;
import dev.warren.broker.store.DurableStore;
import java.util.Locale;

/**
 * A running broker: the in-VM engine and, unless the port is -1, the AMQP listener in front of it.
 * The standalone main and the resource adapter both start Warren through this class.
 */
public final class BrokerEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BrokerEngine.class.getName());

  private final BrokerConfig config;
  private final LocalBroker broker;
  private final AmqpServer server;
  private final int amqpPort;
  private final DurableStore store;
  private final ResourceMonitor monitor;
  private final Clustering clustering;

  private BrokerEngine(
      BrokerConfig config,
      DurableStore store,
      Clustering clustering,
      ResourceMonitor monitor,
      LocalBroker broker,
      AmqpServer server,
      int amqpPort) {
    this.config = config;
    this.store = store;
    this.clustering = clustering;
    this.monitor = monitor;
    this.broker = broker;
    this.server = server;
    this.amqpPort = amqpPort;
  }

  /**
   * Opens the store in the data directory, recovers from it, then starts listening. A cluster node
   * takes its topology from the cluster's metadata log instead of its own topology log, before its
   * messages are recovered.
   */
  public static BrokerEngine start(BrokerConfig config) {
    DurableStore store = DurableStore.open(config.dataDir(), config.store());
    LocalBroker broker;
    Clustering clustering = null;
    try {
      if (config.cluster() == null) {
        broker = new LocalBroker(config, store);
        TopologyReplay.declare(store.topology(), broker::virtualHost);
        store.recover();
      } else {
        clustering = Clustering.prepare(config.cluster(), store);
        broker = new LocalBroker(config, clustering.persistence());
        QuorumQueues quorumQueues =
            new QuorumQueues(config.cluster().nodeId(), config.cluster().quorumShards());
        clustering.closeWith(quorumQueues::close);
        broker.virtualHosts().forEach(host -> host.replicateQueues(quorumQueues));
        TopologyChanges replicated =
            clustering.join(
                config.bindAddress(),
                config.dataDir(),
                broker::virtualHost,
                broker.virtualHosts(),
                quorumQueues.logs());
        broker.useCluster(replicated, clustering::status);
        store.recover();
        clustering.recovered();
        quorumQueues.forgetEarlierRun();
      }
      broker.limitVirtualHosts(
          new VirtualHostLimits(
              config.security().maxQueuesPerVhost(), config.security().maxExchangesPerVhost()));
    } catch (RuntimeException e) {
      if (clustering != null) {
        clustering.close();
      }
      store.close();
      throw e;
    }
    ResourceMonitor monitor =
        ResourceMonitor.start(
            config.dataDir(),
            config.store().memoryHighWatermark(),
            config.store().diskFreeLimitBytes());
    broker.useAlarms(monitor);
    if (config.port() < 0) {
      logStarted(config, "no AMQP listener (in-VM use only)");
      return new BrokerEngine(config, store, clustering, monitor, broker, null, -1);
    }
    AmqpServer server = new AmqpServer(config, broker);
    try {
      int port = server.start();
      String listeners =
          (server.tlsPort() < 0
                  ? ""
                  : "AMQPS on %s:%d, ".formatted(config.bindAddress(), server.tlsPort()))
              + "listening for AMQP 0-9-1 on %s:%d".formatted(config.bindAddress(), port);
      logStarted(config, listeners);
      return new BrokerEngine(config, store, clustering, monitor, broker, server, port);
    } catch (RuntimeException e) {
      broker.shutdown();
      monitor.close();
      if (clustering != null) {
        clustering.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * The one line that says what runs: versions, store and listeners. The AMQP listener comes last,
   * so tools that read its port from the log find it at the end of the line.
   */
  private static void logStarted(BrokerConfig config, String listeners) {
    LOG.log(
        System.Logger.Level.INFO,
        "{0} started: data directory {1} (fsync {2}); {3}",
        BrokerVersion.describe(),
        config.dataDir().toAbsolutePath(),
        config.store().fsync().name().toLowerCase(Locale.ROOT),
        listeners);
  }

  public Broker broker() {
    return broker;
  }

  public BrokerConfig config() {
    return config;
  }

  /** The port the AMQP listener is bound to, or -1 if there is none. */
  public int amqpPort() {
    return amqpPort;
  }

  /** The port the AMQPS listener is bound to, or -1 if there is none. */
  public int amqpsPort() {
    return server == null ? -1 : server.tlsPort();
  }

  /** Closes client connections with 320 CONNECTION_FORCED, then stops the engine. */
  @Override
  public void close() {
    if (server != null) {
      server.stop();
    }
    broker.shutdown();
    monitor.close();
    if (clustering != null) {
      clustering.close();
    }
    store.close();
    LOG.log(System.Logger.Level.INFO, "{0} stopped", BrokerVersion.describe());
  }
}
