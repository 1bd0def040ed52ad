package dev.warren.broker.engine;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.BrokerIdentity;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.model.VirtualHostLimits;
import dev.warren.broker.security.AccessControl;
import dev.warren.broker.security.Definitions;
import dev.warren.broker.security.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The in-VM broker behind the facade: virtual hosts, users and open connections. Users, virtual
 * hosts and permissions come from the definitions file, or are RabbitMQ's defaults without one.
 */
public final class LocalBroker implements Broker, BrokerAdmin {
  private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());

  private final BrokerIdentity identity =
      BrokerIdentity.startingNow(
          BrokerVersion.PRODUCT, BrokerVersion.warren(), BrokerVersion.RABBITMQ);
  private final Set<String> loopbackUsers;
  private volatile List<ListenerInfo> listeners = List.of();
  private final AccessControl accessControl;
  private final Map<String, VirtualHost> virtualHosts = new ConcurrentHashMap<>();
  private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile ResourceAlarms alarms = ResourceAlarms.NONE;

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
    loopbackUsers = config.security().loopbackUsers();
    definitions
        .virtualHosts()
        .forEach(name -> virtualHosts.put(name, new VirtualHost(name, persistence)));
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

  @Override
  public BrokerIdentity identity() {
    return identity;
  }

  @Override
  public List<ListenerInfo> listeners() {
    return listeners;
  }

  /** Told by the engine once its listeners are bound. */
  void listeners(List<ListenerInfo> value) {
    listeners = List.copyOf(value);
  }

  @Override
  public Optional<User> user(String name) {
    return Optional.ofNullable(accessControl.definitions().users().get(name));
  }

  @Override
  public boolean loopbackOnly(String user) {
    return loopbackUsers.contains(user);
  }

  @Override
  public boolean virtualHostExists(String name) {
    return virtualHosts.containsKey(name);
  }

  @Override
  public boolean mayOpen(String user, String virtualHost) {
    try {
      accessControl.checkVirtualHostAccess(user, virtualHost);
      return true;
    } catch (BrokerException refused) {
      return false;
    }
  }

  AccessControl accessControl() {
    return accessControl;
  }

  /** The virtual host of that name, or null. */
  VirtualHost virtualHost(String name) {
    return virtualHosts.get(name);
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
