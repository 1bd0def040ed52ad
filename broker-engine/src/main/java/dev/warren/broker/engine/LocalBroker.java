package dev.warren.broker.engine;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.VirtualHost;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The in-VM broker behind the facade: virtual hosts, users and open connections. Only the virtual
 * host "/" exists for now.
 */
public final class LocalBroker implements Broker {
  private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());
  private static final String DEFAULT_VIRTUAL_HOST = "/";

  private final BrokerConfig config;
  private final Map<String, VirtualHost> virtualHosts = new ConcurrentHashMap<>();
  private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();

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
    this.config = config;
    virtualHosts.put(DEFAULT_VIRTUAL_HOST, new VirtualHost(DEFAULT_VIRTUAL_HOST, persistence));
  }

  @Override
  public boolean authenticate(String user, String password) {
    if (config.defaultUser() == null || user == null || password == null) {
      return false;
    }
    // Constant-time comparison, so that timing does not leak how much of a password matched.
    return config.defaultUser().equals(user)
        && MessageDigest.isEqual(
            password.getBytes(StandardCharsets.UTF_8),
            String.valueOf(config.defaultPassword()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public BrokerConnection connect(String virtualHost, String user, String clientName) {
    VirtualHost host = virtualHosts.get(virtualHost);
    if (host == null) {
      throw Rejections.vhostNotFound(virtualHost);
    }
    LocalConnection connection = new LocalConnection(this, host, user, clientName);
    connections.add(connection);
    LOG.log(System.Logger.Level.DEBUG, "Opened {0}", connection);
    return connection;
  }

  /** The virtual host of that name, or null. */
  VirtualHost virtualHost(String name) {
    return virtualHosts.get(name);
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
