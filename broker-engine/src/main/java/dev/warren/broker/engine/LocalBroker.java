package dev.warren.broker.engine;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ClusterStatus;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.model.VirtualHostLimits;
import dev.warren.broker.security.AccessControl;
import dev.warren.broker.security.Definitions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The in-VM broker behind the facade: virtual hosts, users and open connections. Users, virtual
 * hosts and permissions come from the definitions file, or are RabbitMQ's defaults without one.
 */
public final class LocalBroker implements Broker {
  private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());

  private final AccessControl accessControl;
  private final Map<String, VirtualHost> virtualHosts = new ConcurrentHashMap<>();
  private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile ResourceAlarms alarms = ResourceAlarms.NONE;
  private volatile TopologyChanges topology = TopologyChanges.LOCAL;
  private volatile Supplier<ClusterStatus> clusterStatus;

  /**
   * Runs dispatches that must not happen on the caller's thread (see {@link LocalChannel#consume}).
   */
  private final ExecutorService dispatcher =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "warren-dispatch");
            thread.setDaemon(true);
            return thread;
          });

  public LocalBroker(BrokerConfig config) {
    this(config, Persistence.NONE);
  }

  /** A broker whose virtual hosts keep durable topology and messages in {@code persistence}. */
  public LocalBroker(BrokerConfig config, Persistence persistence) {
    Definitions definitions =
        config.security().definitionsFile() == null
            ? Definitions.defaults(config.defaultUser(), config.defaultPassword())
            : Definitions.read(config.security().definitionsFile());
    accessControl = new AccessControl(definitions);
    String node = config.cluster() == null ? "" : config.cluster().nodeId();
    definitions
        .virtualHosts()
        .forEach(name -> virtualHosts.put(name, new VirtualHost(name, persistence, node)));
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
    VirtualHost host = virtualHosts.get(virtualHost);
    if (host == null) {
      throw Rejections.vhostNotFound(virtualHost);
    }
    accessControl.checkVirtualHostAccess(user, virtualHost);
    LocalConnection connection = new LocalConnection(this, host, user, clientName);
    connections.add(connection);
    LOG.log(System.Logger.Level.DEBUG, "Opened {0}", connection);
    return connection;
  }

  AccessControl accessControl() {
    return accessControl;
  }

  /** The virtual host of that name, or null. */
  VirtualHost virtualHost(String name) {
    return virtualHosts.get(name);
  }

  Collection<VirtualHost> virtualHosts() {
    return virtualHosts.values();
  }

  TopologyChanges topology() {
    return topology;
  }

  /** On a cluster node: topology changes go through the metadata log from now on. */
  void useCluster(TopologyChanges replicated, Supplier<ClusterStatus> status) {
    topology = replicated;
    clusterStatus = status;
  }

  @Override
  public Optional<ClusterStatus> cluster() {
    Supplier<ClusterStatus> status = clusterStatus;
    return status == null ? Optional.empty() : Optional.of(status.get());
  }

  /** Limits every virtual host; called once the stored topology is recovered. */
  void limitVirtualHosts(VirtualHostLimits limits) {
    virtualHosts.values().forEach(host -> host.limit(limits));
  }

  @Override
  public ResourceAlarms alarms() {
    return alarms;
  }

  void useAlarms(ResourceAlarms value) {
    alarms = value;
  }

  void forget(LocalConnection connection) {
    connections.remove(connection);
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
  }
}
