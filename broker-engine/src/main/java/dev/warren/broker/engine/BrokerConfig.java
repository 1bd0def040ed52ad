package dev.warren.broker.engine;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.store.StoreConfig;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Everything a user can set on a broker. The defaults match RabbitMQ's where RabbitMQ has one.
 *
 * @param bindAddress address the AMQP listener binds to
 * @param port AMQP port; 0 picks a free one, -1 starts no listener (in-VM use only)
 * @param dataDir where the store keeps its files
 * @param defaultUser user created at start, or null for none
 * @param defaultPassword that user's password
 * @param heartbeatSeconds heartbeat interval the server proposes in connection.tune; 0 disables
 * @param frameMax largest frame the server accepts, proposed in connection.tune
 * @param channelMax highest channel number per connection, proposed in connection.tune
 * @param security users, permissions, TLS and limits (see {@link SecurityConfig})
 * @param store fsync policy, segment size and resource alarms (see {@link StoreConfig})
 * @param management the management HTTP API's listeners (see {@link ManagementConfig})
 * @param cluster the node's cluster, or null for a broker on its own (see {@link ClusterConfig})
 * @param metrics statistics sampling and the Prometheus endpoint (see {@link MetricsConfig})
 */
public record BrokerConfig(
    String bindAddress,
    int port,
    Path dataDir,
    String defaultUser,
    String defaultPassword,
    int heartbeatSeconds,
    int frameMax,
    int channelMax,
    SecurityConfig security,
    StoreConfig store,
    ManagementConfig management,
    ClusterConfig cluster,
    MetricsConfig metrics) {

  public static final int DEFAULT_PORT = 5672;

  public static BrokerConfig defaults() {
    return new BrokerConfig(
        "0.0.0.0",
        DEFAULT_PORT,
        Path.of("warren-data"),
        "guest",
        "guest",
        60,
        131072,
        2047,
        SecurityConfig.defaults(),
        StoreConfig.defaults(),
        ManagementConfig.NONE,
        null,
        MetricsConfig.NONE);
  }

  public BrokerConfig withBindAddress(String value) {
    return edit(copy -> copy.bindAddress = value);
  }

  public BrokerConfig withPort(int value) {
    return edit(copy -> copy.port = value);
  }

  public BrokerConfig withDataDir(Path value) {
    return edit(copy -> copy.dataDir = value);
  }

  public BrokerConfig withDefaultUser(String user, String password) {
    return edit(
        copy -> {
          copy.defaultUser = user;
          copy.defaultPassword = password;
        });
  }

  public BrokerConfig withHeartbeatSeconds(int value) {
    return edit(copy -> copy.heartbeatSeconds = value);
  }

  public BrokerConfig withFrameMax(int value) {
    return edit(copy -> copy.frameMax = value);
  }

  public BrokerConfig withChannelMax(int value) {
    return edit(copy -> copy.channelMax = value);
  }

  public BrokerConfig withSecurity(SecurityConfig value) {
    return edit(copy -> copy.security = value);
  }

  public BrokerConfig withStore(StoreConfig value) {
    return edit(copy -> copy.store = value);
  }

  public BrokerConfig withManagement(ManagementConfig value) {
    return edit(copy -> copy.management = value);
  }

  public BrokerConfig withCluster(ClusterConfig value) {
    return edit(copy -> copy.cluster = value);
  }

  public BrokerConfig withMetrics(MetricsConfig value) {
    return edit(copy -> copy.metrics = value);
  }

  /** A copy of this configuration with what {@code change} sets on a mutable draft of it. */
  private BrokerConfig edit(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** The record's components as fields, so that each wither names only the one it changes. */
  private static final class Draft {
    String bindAddress;
    int port;
    Path dataDir;
    String defaultUser;
    String defaultPassword;
    int heartbeatSeconds;
    int frameMax;
    int channelMax;
    SecurityConfig security;
    StoreConfig store;
    ManagementConfig management;
    ClusterConfig cluster;
    MetricsConfig metrics;

    Draft(BrokerConfig from) {
      bindAddress = from.bindAddress;
      port = from.port;
      dataDir = from.dataDir;
      defaultUser = from.defaultUser;
      defaultPassword = from.defaultPassword;
      heartbeatSeconds = from.heartbeatSeconds;
      frameMax = from.frameMax;
      channelMax = from.channelMax;
      security = from.security;
      store = from.store;
      management = from.management;
      cluster = from.cluster;
      metrics = from.metrics;
    }

    BrokerConfig build() {
      return new BrokerConfig(
          bindAddress,
          port,
          dataDir,
          defaultUser,
          defaultPassword,
          heartbeatSeconds,
          frameMax,
          channelMax,
          security,
          store,
          management,
          cluster,
          metrics);
    }
  }
}
