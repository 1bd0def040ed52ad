package dev.warren.rar.adapter.remote;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.rar.adapter.AdapterConfig;
import dev.warren.rar.adapter.BrokerBackend;
import dev.warren.rar.adapter.BrokerUnreachableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * An external RabbitMQ or Warren, reached through RabbitMQ's Java client with automatic connection
 * recovery: after a broker restart or a node's failure its connections come back (on any of the
 * addresses) with their channels, declarations and consumers, so MDBs resume by themselves.
 */
public final class RemoteBroker implements BrokerBackend {
  private static final System.Logger LOG = System.getLogger(RemoteBroker.class.getName());

  private final ConnectionFactory factory;
  private final List<Address> addresses;
  private final String user;
  private final String virtualHost;
  private final Duration recoveryInterval;
  private final String description;
  private final ScheduledExecutorService reopener;

  private RemoteBroker(ConnectionFactory factory, List<Address> addresses, AdapterConfig config) {
    this.factory = factory;
    this.addresses = addresses;
    this.user = config.defaultUser();
    this.virtualHost = config.virtualHost();
    this.recoveryInterval = config.remote().recoveryInterval();
    this.description =
        "remote broker at "
            + addresses
            + ", user "
            + user
            + ", TLS "
            + tlsDescription(config.remote())
            + ", recovery interval "
            + recoveryInterval.toMillis()
            + " ms, XA branches in "
            + config.xaBranchDirectory();
    this.reopener =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "warren-rar remote channel reopener");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Checks the settings; connects only when the first connection is asked for.
   *
   * @throws IllegalArgumentException if the addresses or the TLS settings are unusable
   */
  public static RemoteBroker create(AdapterConfig config) {
    RemoteSettings settings = config.remote();
    List<Address> addresses = parseAddresses(settings.addresses());
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUsername(config.defaultUser());
    factory.setPassword(config.defaultPassword());
    factory.setVirtualHost(config.virtualHost());
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(settings.recoveryInterval().toMillis());
    factory.setExceptionHandler(new LoggingExceptionHandler());
    if (settings.tls()) {
      factory.useSslProtocol(ClientTls.context(settings));
      factory.enableHostnameVerification();
    }
    return new RemoteBroker(factory, addresses, config);
  }

  private static List<Address> parseAddresses(String addresses) {
    if (addresses == null || addresses.isBlank()) {
      throw new IllegalArgumentException(
          "adapter property 'addresses' is required in remote mode (host1:5672,host2:5672)");
    }
    try {
      return Arrays.asList(Address.parseAddresses(addresses.replace(" ", "")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "adapter property 'addresses' is not a list of host[:port]: '" + addresses + "'", e);
    }
  }

  private static String tlsDescription(RemoteSettings settings) {
    if (!settings.tls()) {
      return "off";
    }
    return "on (trust store "
        + (settings.trustStore() == null ? "the JVM's" : settings.trustStore())
        + ", key store "
        + (settings.keyStore() == null ? "none" : settings.keyStore())
        + ")";
  }

  @Override
  public BrokerConnection connect(String clientName) {
    try {
      return new RemoteConnection(
          factory.newConnection(addresses, clientName),
          virtualHost,
          user,
          reopener,
          recoveryInterval);
    } catch (IOException | TimeoutException e) {
      BrokerException refusal = RemoteErrors.toBrokerException(e);
      if (refusal.replyCode() != ReplyCode.CONNECTION_FORCED) {
        throw refusal; // a refused login or virtual host: trying again would not help
      }
      throw new BrokerUnreachableException(
          "no broker reachable at " + addresses + ": " + e.getMessage(), recoveryInterval, e);
    }
  }

  /**
   * None that the adapter could wait for: a remote broker blocks a publishing connection itself,
   * and a commit then fails once its confirms do not come within the confirm timeout.
   */
  @Override
  public ResourceAlarms alarms() {
    return ResourceAlarms.NONE;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    reopener.shutdownNow();
  }

  /** The client's failures to recover, in the server's log instead of SLF4J's. */
  private static final class LoggingExceptionHandler extends ForgivingExceptionHandler {
    @Override
    protected void log(String message, Throwable e) {
      LOG.log(System.Logger.Level.WARNING, message, e);
    }
  }
}
