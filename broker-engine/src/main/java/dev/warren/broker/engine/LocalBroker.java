package dev.warren.broker.engine;

import dev.warren.broker.cluster.DefinitionsReplica;
import dev.warren.broker.concurrent.DaemonThreads;
import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsDocument;
import dev.warren.broker.definitions.DefinitionsJournal;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.ParameterDefinition;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ClientConnection;
import dev.warren.broker.engine.api.ClusterStatus;
import dev.warren.broker.engine.api.ConnectionDetails;
import dev.warren.broker.engine.api.HeldMessage;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.metrics.ChurnCounters;
import dev.warren.broker.metrics.ChurnEvent;
import dev.warren.broker.metrics.VirtualHostCounters;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.model.VirtualHostLimits;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.security.AccessControl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The in-VM broker behind the facade: virtual hosts, the runtime definitions (users, permissions,
 * limits, policies) and open connections. A fresh broker's definitions are RabbitMQ's defaults or
 * the definitions file; later changes come through {@link LocalAdmin} and take effect at once.
 */
public final class LocalBroker implements Broker {
  private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());

  /** How often a cluster node offers its initial definitions (10 s each) before it gives up. */
  private static final int SEED_ATTEMPTS = 30;

  private final BrokerConfig config;
  private final Persistence persistence;
  private final RuntimeDefinitions definitions;
  private final DefinitionsDocument bootDocument;
  private final AccessControl accessControl;
  private final Map<String, VirtualHost> virtualHosts = new ConcurrentHashMap<>();
  private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong directConnections = new AtomicLong();
  private final List<Consumer<VirtualHost>> hostSetups = new CopyOnWriteArrayList<>();

  /** This node's id in a cluster, "" on a broker of its own. */
  private final String node;

  private volatile ResourceAlarms alarms = ResourceAlarms.NONE;
  private final ChurnCounters churn = new ChurnCounters();
  private final LocalStatistics statistics;
  private volatile TopologyChanges topology = TopologyChanges.LOCAL;
  private volatile Supplier<ClusterStatus> clusterStatus;
  private volatile HeldRecoveredMessages held = HeldRecoveredMessages.NONE;

  /** Set once the stored topology is recovered: limits never refuse what is recovered. */
  private volatile boolean limiting;

  /**
   * Runs dispatches that must not happen on the caller's thread (see {@link
   * ChannelSubscriptions#consume}).
   */
  private final ExecutorService dispatcher = DaemonThreads.single("warren-dispatch");

  public LocalBroker(BrokerConfig config) {
    this(config, Persistence.NONE);
  }

  /** A broker whose virtual hosts keep durable topology and messages in {@code persistence}. */
  public LocalBroker(BrokerConfig config, Persistence persistence) {
    this(config, persistence, DefinitionsJournal.inMemory());
  }

  /** A broker whose runtime definitions are kept in {@code journal} (which its owner closes). */
  LocalBroker(BrokerConfig config, Persistence persistence, DefinitionsJournal journal) {
    this.config = config;
    this.persistence = persistence;
    this.node = config.cluster() == null ? "" : config.cluster().nodeId();
    this.statistics = new LocalStatistics(this, churn, config.metrics().statisticsInterval());
    Path file = config.security().definitionsFile();
    this.bootDocument = file == null ? null : DefinitionsDocument.read(file);
    // a cluster node's definitions come from the metadata log (see seedDefinitions)
    this.definitions =
        new RuntimeDefinitions(
            journal,
            node.isEmpty() ? () -> BootDefinitions.initial(config, bootDocument) : List::of);
    if (node.isEmpty() && !definitions.fresh() && bootDocument != null) {
      // RabbitMQ's load_definitions: the file is imported at every start, over what is stored
      definitions.apply(bootDocument.changes());
    }
    this.accessControl = new AccessControl(definitions);
    definitions.get().virtualHosts().forEach(v -> addVirtualHost(v.name()));
    definitions.effects(this::applied);
    statistics.start();
    // a policy set, changed or cleared applies to the vhost's queues and exchanges at once
    definitions
        .policies()
        .subscribe(
            vhost -> {
              VirtualHost host = virtualHosts.get(vhost);
              if (host != null) {
                host.policiesChanged();
              }
            });
  }

  @Override
  public boolean authenticate(String user, String password) {
    return accessControl.authenticate(user, password);
  }

  @Override
  public boolean userExists(String user) {
    return accessControl.userExists(user);
  }

  @Override
  public BrokerConnection connect(String virtualHost, String user, String clientName) {
    return connect(
        virtualHost,
        user,
        new DirectClient(
            ConnectionDetails.direct(clientName + " #" + directConnections.incrementAndGet())));
  }

  @Override
  public BrokerConnection connect(String virtualHost, String user, ClientConnection client) {
    VirtualHost host = virtualHosts.get(virtualHost);
    if (host == null) {
      throw Rejections.vhostNotFound(virtualHost);
    }
    accessControl.checkVirtualHostAccess(user, virtualHost);
    long limit = limit(virtualHost, "max-connections");
    if (limit >= 0
        && connections.stream().filter(c -> c.virtualHost().equals(virtualHost)).count() >= limit) {
      throw new BrokerException(
          ReplyCode.NOT_ALLOWED,
          "access to vhost '%s' refused for user '%s': connection limit (%d) is reached"
              .formatted(virtualHost, user, limit));
    }
    LocalConnection connection = new LocalConnection(this, host, user, client, false);
    if (client instanceof DirectClient direct) {
      direct.connection = connection;
    }
    connections.add(connection);
    churn.record(ChurnEvent.CONNECTION_OPENED);
    LOG.log(System.Logger.Level.DEBUG, "Opened {0}", connection);
    return connection;
  }

  @Override
  public BrokerConnection connectPeer(String virtualHost, String peer) {
    VirtualHost host = virtualHosts.get(virtualHost);
    if (host == null) {
      throw Rejections.vhostNotFound(virtualHost);
    }
    // not in the connection list: RabbitMQ lists no links between its nodes either
    return new LocalConnection(
        this, host, "cluster node " + peer, new DirectClient(ConnectionDetails.direct(peer)), true);
  }

  /**
   * The definitions file read at start, or null: its queues, exchanges and bindings are declared
   * once the stored topology is recovered.
   */
  DefinitionsDocument bootDocument() {
    return bootDocument;
  }

  AccessControl accessControl() {
    return accessControl;
  }

  RuntimeDefinitions definitions() {
    return definitions;
  }

  /** The virtual host of that name, or null. */
  VirtualHost virtualHost(String name) {
    return virtualHosts.get(name);
  }

  /** At start, before anything can consume: the messages its store recovery held back. */
  void holdRecovered(HeldRecoveredMessages messages) {
    held = messages;
  }

  @Override
  public List<HeldMessage> heldMessages() {
    return held.messages();
  }

  @Override
  public void acknowledgeHeld(StoredMessageId id) {
    held.acknowledge(id, persistence);
  }

  List<VirtualHost> virtualHosts() {
    return List.copyOf(virtualHosts.values());
  }

  List<LocalConnection> connections() {
    return List.copyOf(connections);
  }

  /** Starts enforcing the vhost limits; called once the stored topology is recovered. */
  void startLimiting() {
    limiting = true;
    virtualHosts.keySet().forEach(this::applyLimits);
  }

  TopologyChanges topology() {
    return topology;
  }

  /** This node's id in a cluster, "" on a broker of its own. */
  String nodeId() {
    return node;
  }

  /** On a cluster node: topology and definition changes go through the metadata log from now on. */
  void useCluster(
      TopologyChanges replicated,
      DefinitionChanges definitionChanges,
      Supplier<ClusterStatus> status) {
    topology = replicated;
    definitions.decideThrough(definitionChanges);
    clusterStatus = status;
  }

  /**
   * On a cluster node, once it has caught up with the metadata log: offers the definitions a fresh
   * broker starts with (RabbitMQ's default user and vhost, or the definitions file), which apply if
   * no node gave them before; a definitions file that was not the one applied is imported over
   * them, as RabbitMQ's load_definitions does at every start.
   */
  void seedDefinitions() {
    boolean ours;
    for (int attempt = 1; ; attempt++) {
      try {
        ours = definitions.seed(BootDefinitions.initial(config, bootDocument));
        break;
      } catch (BrokerException timedOut) {
        // a loaded cluster may take longer than one append's timeout: a start waits as the join
        if (attempt == SEED_ATTEMPTS) {
          throw timedOut;
        }
        LOG.log(System.Logger.Level.WARNING, "Offering the initial definitions: {0}", timedOut);
      }
    }
    if (!ours && bootDocument != null) {
      definitions.apply(bootDocument.changes());
    }
  }

  /** This node's definitions, as the cluster's metadata log drives them. */
  DefinitionsReplica replicatedDefinitions() {
    return definitions;
  }

  @Override
  public Optional<ClusterStatus> cluster() {
    Supplier<ClusterStatus> status = clusterStatus;
    return status == null ? Optional.empty() : Optional.of(status.get());
  }

  /**
   * Applies {@code setup} to every virtual host, those there now and those added later through the
   * management API: on a cluster node, what makes a host replicate its queues.
   */
  void setUpVirtualHosts(Consumer<VirtualHost> setup) {
    hostSetups.add(setup);
    virtualHosts.values().forEach(setup);
  }

  @Override
  public ResourceAlarms alarms() {
    return alarms;
  }

  void useAlarms(ResourceMonitor monitor) {
    alarms = monitor;
    statistics.watch(monitor::resources);
  }

  LocalStatistics statistics() {
    return statistics;
  }

  VirtualHostCounters statisticsOf(String virtualHost) {
    return statistics.host(virtualHost);
  }

  void record(ChurnEvent event) {
    churn.record(event);
  }

  void forget(LocalConnection connection) {
    if (connections.remove(connection)) {
      churn.record(ChurnEvent.CONNECTION_CLOSED);
    }
    LOG.log(System.Logger.Level.DEBUG, "Closed {0}", connection);
  }

  void dispatchLater(Queue queue) {
    try {
      dispatcher.execute(queue::dispatch);
    } catch (RejectedExecutionException shuttingDown) {
      LOG.log(System.Logger.Level.DEBUG, "Broker stopping; no dispatch for {0}", queue.name());
    }
  }

  /** Closes every connection (requeueing, deleting exclusive queues) and stops the dispatcher. */
  public void shutdown() {
    for (LocalConnection connection : List.copyOf(connections)) {
      connection.close();
    }
    dispatcher.shutdown();
    statistics.close();
  }

  // --- what a definitions change does to the live broker

  private void applied(DefinitionChange change, DefinitionsState before, DefinitionsState after) {
    if (change instanceof DefinitionChange.PutVirtualHost put) {
      addVirtualHost(put.virtualHost().name());
    } else if (change instanceof DefinitionChange.DeleteVirtualHost delete) {
      deleteVirtualHost(delete.name());
    } else if (change instanceof DefinitionChange.DeleteUser delete) {
      closeConnections(
          c -> c.user().equals(delete.name()), "user '%s' is deleted".formatted(delete.name()));
    } else if (change instanceof DefinitionChange.PutParameter put
        && put.parameter().component().equals(ParameterDefinition.VHOST_LIMITS)) {
      applyLimits(put.parameter().vhost());
    } else if (change instanceof DefinitionChange.DeleteParameter delete
        && delete.component().equals(ParameterDefinition.VHOST_LIMITS)) {
      applyLimits(delete.vhost());
    }
  }

  private void addVirtualHost(String name) {
    virtualHosts.computeIfAbsent(
        name,
        n -> {
          VirtualHost host = new VirtualHost(n, persistence, node, churn);
          host.usePolicies(new VirtualHostPolicies(definitions.policies(), n));
          hostSetups.forEach(setup -> setup.accept(host));
          return host;
        });
    applyLimits(name);
  }

  /** RabbitMQ closes the vhost's connections, then deletes its queues and exchanges. */
  private void deleteVirtualHost(String name) {
    closeConnections(c -> c.virtualHost().equals(name), "vhost '%s' is deleted".formatted(name));
    VirtualHost host = virtualHosts.remove(name);
    if (host != null) {
      host.deleteEverything();
    }
    LOG.log(System.Logger.Level.INFO, "Deleted virtual host ''{0}''", name);
  }

  /** Forces connections closed (320 CONNECTION_FORCED with the reason), as RabbitMQ does. */
  void closeConnections(Predicate<LocalConnection> which, String reason) {
    for (LocalConnection connection : List.copyOf(connections)) {
      if (which.test(connection)) {
        LOG.log(System.Logger.Level.INFO, "Closing {0}: {1}", connection, reason);
        connection.client().forceClose(reason);
      }
    }
  }

  private void applyLimits(String vhost) {
    VirtualHost host = virtualHosts.get(vhost);
    if (host == null || !limiting) {
      return;
    }
    host.limit(
        new VirtualHostLimits(
            (int) limit(vhost, "max-queues"),
            config.security().maxExchangesPerVhost() > 0
                ? config.security().maxExchangesPerVhost()
                : VirtualHostLimits.UNLIMITED));
  }

  /**
   * A vhost's limit: its vhost-limits parameter if it sets one (negative: none), else the
   * broker-wide option (0 there means none).
   */
  private long limit(String vhost, String name) {
    ParameterDefinition limits =
        definitions
            .get()
            .parameter(ParameterDefinition.VHOST_LIMITS, vhost, ParameterDefinition.LIMITS_NAME);
    if (limits != null
        && limits.value() instanceof Map<?, ?> values
        && values.get(name) instanceof Number value) {
      return value.longValue() < 0 ? VirtualHostLimits.UNLIMITED : value.longValue();
    }
    int option = name.equals("max-queues") ? config.security().maxQueuesPerVhost() : 0;
    return option > 0 ? option : VirtualHostLimits.UNLIMITED;
  }

  /** An in-VM client's connection: a forced close simply closes it. */
  private static final class DirectClient implements ClientConnection {
    private final ConnectionDetails details;
    private volatile LocalConnection connection;

    DirectClient(ConnectionDetails details) {
      this.details = details;
    }

    @Override
    public ConnectionDetails details() {
      return details;
    }

    @Override
    public void forceClose(String reason) {
      LocalConnection open = connection;
      if (open != null) {
        open.close();
      }
    }
  }
}
