package dev.warren.broker.engine;

import dev.warren.broker.cluster.Clustering;
import dev.warren.broker.definitions.DefinitionsDocument;
import dev.warren.broker.definitions.DefinitionsJournal;
import dev.warren.broker.definitions.TopologyDefinition;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.forward.Forwarding;
import dev.warren.broker.management.http.ManagementServer;
import dev.warren.broker.prometheus.PrometheusServer;
import dev.warren.broker.quorum.QuorumQueues;
import dev.warren.broker.server.AmqpServer;
import dev.warren.broker.server.EventLoops;
import dev.warren.broker.store.DurableStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A running broker: the in-VM engine and, unless the port is -1, the AMQP listener in front of it;
 * the management API's listeners when configured. The standalone main and the resource adapter both
 * start Warren through this class.
 */
public final class BrokerEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BrokerEngine.class.getName());

  private final BrokerConfig config;
  private final RunningParts parts;
  private final LocalBroker broker;
  private final LocalAdmin admin;
  private final AmqpServer server;
  private final int amqpPort;
  private final ManagementServer management;
  private final PrometheusServer prometheus;

  private BrokerEngine(
      BrokerConfig config,
      RunningParts parts,
      LocalBroker broker,
      LocalAdmin admin,
      AmqpServer server,
      int amqpPort,
      ManagementServer management,
      PrometheusServer prometheus) {
    this.config = config;
    this.parts = parts;
    this.broker = broker;
    this.admin = admin;
    this.server = server;
    this.amqpPort = amqpPort;
    this.management = management;
    this.prometheus = prometheus;
  }

  /**
   * Opens the store in the data directory, recovers from it, then starts listening. A cluster node
   * takes its topology from the cluster's metadata log instead of its own topology log, before its
   * messages are recovered. If a step fails, what the earlier ones started is stopped again.
   */
  public static BrokerEngine start(BrokerConfig config) {
    return start(config, List.of());
  }

  /**
   * As {@link #start(BrokerConfig)}, keeping the recovered messages named in {@code hold} out of
   * their queues (see {@link Broker#heldMessages()}): delivered in transaction branches that were
   * prepared and are not decided yet, they must reach no consumer before that decision. Ids whose
   * message is not recovered are ignored.
   */
  public static BrokerEngine start(BrokerConfig config, Collection<StoredMessageId> hold) {
    RunningParts parts = new RunningParts();
    try {
      return start(config, hold, parts);
    } catch (RuntimeException e) {
      parts.stopAll();
      throw e;
    }
  }

  private static BrokerEngine start(
      BrokerConfig config, Collection<StoredMessageId> hold, RunningParts parts) {
    DurableStore store =
        parts.started(DurableStore.open(config.dataDir(), config.store()), DurableStore::close);
    LocalBroker broker;
    if (config.cluster() == null) {
      broker = new LocalBroker(config, store, store.definitions());
      TopologyReplay.declare(store.topology(), broker::virtualHost, store::forgetVirtualHost);
      recoverMessages(store, broker, hold);
    } else {
      Clustering clustering =
          parts.started(Clustering.prepare(config.cluster(), store), Clustering::close);
      // the definitions are the metadata log's, not the store's
      broker = new LocalBroker(config, clustering.persistence(), DefinitionsJournal.inMemory());
      Forwarding forwarding = new Forwarding(config.cluster(), broker, clustering::peerReturned);
      QuorumQueues quorumQueues =
          new QuorumQueues(
              config.cluster().nodeId(), config.cluster().quorumShards(), forwarding::stopped);
      clustering.closeWith(quorumQueues::close);
      broker.setUpVirtualHosts(host -> host.replicateQueues(quorumQueues));
      clustering.closeWith(forwarding::close);
      broker.setUpVirtualHosts(host -> host.forwardQueues(forwarding));
      TopologyChanges replicated =
          clustering.join(
              config.bindAddress(),
              config.dataDir(),
              broker::virtualHost,
              broker.replicatedDefinitions(),
              quorumQueues.logs());
      broker.setUpVirtualHosts(clustering::replicateSelfDeletions);
      broker.useCluster(replicated, clustering.definitions(), clustering::status);
      broker.seedDefinitions();
      recoverMessages(store, broker, hold);
      forwarding.start(config.bindAddress());
      clustering.recovered();
      quorumQueues.forgetEarlierRun();
    }
    ResourceMonitor monitor =
        parts.started(
            ResourceMonitor.start(
                config.dataDir(),
                config.store().memoryHighWatermark(),
                config.store().diskFreeLimitBytes()),
            ResourceMonitor::close);
    broker.useAlarms(monitor);
    parts.started(broker, LocalBroker::shutdown);
    LocalAdmin admin =
        new LocalAdmin(broker, config.security().loopbackUsers(), monitor::resources);
    declareBootTopology(broker, admin);
    broker.startLimiting();
    if (config.port() < 0
        && !config.management().enabled()
        && !config.metrics().prometheusEnabled()) {
      logStarted(config, "no AMQP listener (in-VM use only)");
      return new BrokerEngine(config, parts, broker, admin, null, -1, null, null);
    }
    EventLoops loops = parts.started(EventLoops.create(), EventLoops::close);
    List<ListenerInfo> listeners = new ArrayList<>();
    ManagementServer management = null;
    if (config.management().enabled()) {
      management =
          parts.started(
              ManagementServer.start(config.management(), config.security().tls(), admin, loops),
              ManagementServer::close);
      listeners.addAll(management.listeners());
    }
    PrometheusServer prometheus = null;
    if (config.metrics().prometheusEnabled()) {
      prometheus =
          parts.started(
              PrometheusServer.start(config.metrics(), admin, loops), PrometheusServer::close);
      listeners.add(prometheus.listener());
    }
    AmqpServer server = null;
    int port = -1;
    if (config.port() >= 0) {
      server = new AmqpServer(config, broker, loops);
      parts.started(server, AmqpServer::stop);
      port = server.start();
      if (server.tlsPort() >= 0) {
        listeners.add(new ListenerInfo("amqp/ssl", config.bindAddress(), server.tlsPort()));
      }
      listeners.add(new ListenerInfo("amqp", config.bindAddress(), port));
    }
    logStarted(config, describe(listeners));
    admin.listeners(listeners);
    return new BrokerEngine(config, parts, broker, admin, server, port, management, prometheus);
  }

  private static void recoverMessages(
      DurableStore store, LocalBroker broker, Collection<StoredMessageId> hold) {
    if (hold.isEmpty()) {
      store.recover();
      return;
    }
    HeldRecoveredMessages held = HeldRecoveredMessages.of(hold, broker::virtualHost);
    store.recover(held::restore);
    // an id whose message is gone must not name a new one before its owner hears that it is gone
    store.reserveIdsUpTo(hold.stream().mapToLong(StoredMessageId::storeId).max().orElse(0));
    held.recovered();
    broker.holdRecovered(held);
  }

  /** A definitions file's queues, exchanges and bindings, as RabbitMQ's load_definitions. */
  private static void declareBootTopology(LocalBroker broker, LocalAdmin admin) {
    DefinitionsDocument file = broker.bootDocument();
    if (file != null) {
      List<TopologyDefinition> items = new ArrayList<>();
      items.addAll(file.exchanges());
      items.addAll(file.queues());
      items.addAll(file.bindings());
      admin.declareTopology(items);
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

  private static String describe(List<ListenerInfo> listeners) {
    List<String> parts = new ArrayList<>();
    for (ListenerInfo listener : listeners) {
      String what =
          switch (listener.protocol()) {
            case "amqp" -> "listening for AMQP 0-9-1 on";
            case "amqp/ssl" -> "AMQPS on";
            case "http" -> "management API on HTTP";
            case "https" -> "management API on HTTPS";
            case "http/prometheus" -> "Prometheus metrics on HTTP";
            default -> listener.protocol() + " on";
          };
      parts.add("%s %s:%d".formatted(what, listener.ipAddress(), listener.port()));
    }
    return parts.isEmpty() ? "no AMQP listener (in-VM use only)" : String.join(", ", parts);
  }

  public Broker broker() {
    return broker;
  }

  /** The broker as the management API sees it. */
  public BrokerAdmin admin() {
    return admin;
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

  /** The port of the management API's HTTP listener, or -1 if there is none. */
  public int managementPort() {
    return management == null ? -1 : management.port();
  }

  /** The port of the management API's HTTPS listener, or -1 if there is none. */
  public int managementTlsPort() {
    return management == null ? -1 : management.tlsPort();
  }

  /** The port of the Prometheus endpoint, or -1 if there is none. */
  public int prometheusPort() {
    return prometheus == null ? -1 : prometheus.port();
  }

  /** Closes client connections with 320 CONNECTION_FORCED, then stops the engine. */
  @Override
  public void close() {
    parts.stopAll();
    LOG.log(System.Logger.Level.INFO, "{0} stopped", BrokerVersion.describe());
  }
}
