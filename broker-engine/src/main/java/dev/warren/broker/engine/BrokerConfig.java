package dev.warren.broker.engine;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.store.StoreConfig;
import java.nio.file.Path;

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
    return new BrokerConfig(
        value,
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

  public BrokerConfig withPort(int value) {
    return new BrokerConfig(
        bindAddress,
        value,
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

  public BrokerConfig withDataDir(Path value) {
    return new BrokerConfig(
        bindAddress,
        port,
        value,
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

  public BrokerConfig withDefaultUser(String user, String password) {
    return new BrokerConfig(
        bindAddress,
        port,
        dataDir,
        user,
        password,
        heartbeatSeconds,
        frameMax,
        channelMax,
        security,
        store,
        management,
        cluster,
        metrics);
  }

  public BrokerConfig withHeartbeatSeconds(int value) {
    return new BrokerConfig(
        bindAddress,
        port,
        dataDir,
        defaultUser,
        defaultPassword,
        value,
        frameMax,
        channelMax,
        security,
        store,
        management,
        cluster,
        metrics);
  }

  public BrokerConfig withFrameMax(int value) {
    return new BrokerConfig(
        bindAddress,
        port,
        dataDir,
        defaultUser,
        defaultPassword,
        heartbeatSeconds,
        value,
        channelMax,
        security,
        store,
        management,
        cluster,
        metrics);
  }

  public BrokerConfig withChannelMax(int value) {
    return new BrokerConfig(
        bindAddress,
        port,
        dataDir,
        defaultUser,
        defaultPassword,
        heartbeatSeconds,
        frameMax,
        value,
        security,
        store,
        management,
        cluster,
        metrics);
  }

  public BrokerConfig withSecurity(SecurityConfig value) {
    return new BrokerConfig(
        bindAddress,
        port,
        dataDir,
        defaultUser,
        defaultPassword,
        heartbeatSeconds,
        frameMax,
        channelMax,
        value,
        store,
        management,
        cluster,
        metrics);
  }

  public BrokerConfig withStore(StoreConfig value) {
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
        value,
        management,
        cluster,
        metrics);
  }

  public BrokerConfig withManagement(ManagementConfig value) {
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
        value,
        cluster,
        metrics);
  }

  public BrokerConfig withCluster(ClusterConfig value) {
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
        value,
        metrics);
  }

  public BrokerConfig withMetrics(MetricsConfig value) {
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
        value);
  }
}
