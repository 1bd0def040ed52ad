package dev.warren.rar.adapter;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.ManagementConfig;
import dev.warren.broker.engine.MetricsConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.store.StoreConfig;
import dev.warren.rar.adapter.remote.RemoteSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The adapter's configuration once the container has set its properties.
 *
 * @param mode whether the broker runs in the server or is an external one
 * @param port AMQP port for external clients; 0 runs the broker in-VM only (embedded mode)
 * @param bindAddress address the AMQP listener binds to (embedded mode)
 * @param dataDirectory where the embedded broker keeps its store and the adapter its prepared XA
 *     branches (in both modes)
 * @param defaultUser user that the adapter logs in as (and, embedded, external clients too); with a
 *     definitions file, the adapter's own identity, which must exist there
 * @param defaultPassword that user's password
 * @param virtualHost the virtual host the adapter's MDBs and connection factory use
 * @param definitionsFile users, vhosts and permissions in RabbitMQ's definitions format, or null
 *     for the default user alone (embedded mode)
 * @param store fsync policy and resource alarm limits (embedded mode)
 * @param remote where the external broker is and how to reach it (remote mode)
 * @param confirmTimeout how long a commit waits for the broker's publisher confirms
 * @param managementPort the management HTTP API's port; 0 opens no listener (embedded mode)
 * @param managementBindAddress address the management listener binds to (embedded mode)
 * @param prometheusPort the Prometheus endpoint's port; 0 opens no listener (embedded mode). It
 *     binds to {@code managementBindAddress}
 * @param cluster the embedded broker's cluster, or null for a broker of its own (embedded mode)
 */
public record AdapterConfig(
    BrokerMode mode,
    int port,
    String bindAddress,
    Path dataDirectory,
    String defaultUser,
    String defaultPassword,
    String virtualHost,
    Path definitionsFile,
    StoreConfig store,
    RemoteSettings remote,
    Duration confirmTimeout,
    int managementPort,
    String managementBindAddress,
    int prometheusPort,
    ClusterConfig cluster) {

  public static final int DEFAULT_PORT = BrokerConfig.DEFAULT_PORT;
  public static final String DEFAULT_VIRTUAL_HOST = "/";
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);

  public AdapterConfig {
    if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
      throw new IllegalArgumentException(
          "adapter property 'confirmTimeout' must be positive, not " + confirmTimeout.toMillis());
    }
  }

  public BrokerConfig toBrokerConfig() {
    // BrokerConfig spells "no listener" as -1 because 0 means "any free port" there.
    int listenerPort = port == 0 ? -1 : port;
    return BrokerConfig.defaults()
        .withPort(listenerPort)
        .withBindAddress(bindAddress)
        .withDataDir(dataDirectory)
        .withDefaultUser(defaultUser, defaultPassword)
        .withSecurity(SecurityConfig.defaults().withDefinitionsFile(definitionsFile))
        .withStore(store)
        .withMetrics(
            MetricsConfig.NONE
                .withPrometheusPort(prometheusPort == 0 ? MetricsConfig.OFF : prometheusPort)
                .withPrometheusBindAddress(managementBindAddress))
        .withManagement(
            new ManagementConfig(
                managementPort == 0 ? ManagementConfig.OFF : managementPort,
                managementBindAddress,
                ManagementConfig.OFF))
        .withCluster(cluster);
  }

  /** Where prepared outbound XA branches are kept, in either mode. */
  public Path xaBranchDirectory() {
    return dataDirectory.toAbsolutePath().normalize().resolve("xa-branches");
  }

  /**
   * The data directory when none is configured: inside the server's own data area, so that it
   * survives restarts and does not depend on the directory the server was started from.
   */
  public static Path defaultDataDirectory() {
    for (String property : new String[] {"jboss.server.data.dir", "com.sun.aas.instanceRoot"}) {
      String dir = System.getProperty(property);
      if (dir != null && !dir.isBlank()) {
        return Path.of(dir, "warren-data");
      }
    }
    return Path.of("warren-data");
  }
}
