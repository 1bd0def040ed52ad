package dev.warren.rar.adapter;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.ManagementConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.store.StoreConfig;
import java.nio.file.Path;

/**
 * The adapter's configuration once the container has set its properties.
 *
 * @param port AMQP port for external clients; 0 runs the broker in-VM only
 * @param bindAddress address the AMQP listener binds to
 * @param dataDirectory where the broker keeps its store and the adapter its prepared XA branches
 * @param defaultUser user that external clients and the adapter itself log in as; with a
 *     definitions file, the adapter's own identity, which must exist there
 * @param defaultPassword that user's password
 * @param definitionsFile users, vhosts and permissions in RabbitMQ's definitions format, or null
 *     for the default user alone (no other user exists then)
 * @param store fsync policy and resource alarm limits
 * @param managementPort the management HTTP API's port; 0 opens no listener
 * @param managementBindAddress address the management listener binds to
 */
public record AdapterConfig(
    int port,
    String bindAddress,
    Path dataDirectory,
    String defaultUser,
    String defaultPassword,
    Path definitionsFile,
    StoreConfig store,
    int managementPort,
    String managementBindAddress) {

  public static final int DEFAULT_PORT = BrokerConfig.DEFAULT_PORT;

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
        .withManagement(
            new ManagementConfig(
                managementPort == 0 ? ManagementConfig.OFF : managementPort,
                managementBindAddress,
                ManagementConfig.OFF));
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
