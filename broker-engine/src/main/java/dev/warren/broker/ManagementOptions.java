package dev.warren.broker;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.ManagementConfig;
import java.util.Set;

/** The command-line options for the management HTTP API (see {@link Main}). */
final class ManagementOptions {

  static final Set<String> WITH_VALUE =
      Set.of("--management-port", "--management-bind", "--management-tls-port");

  static final String USAGE =
      """
        --management-port N         management HTTP API and web UI (default 15672; 0: none)
        --management-bind ADDR      address the management listeners bind to (default 0.0.0.0)
        --management-tls-port N     management over HTTPS with the AMQPS key store (default: none)
      """;

  private ManagementOptions() {}

  /** The standalone broker's defaults: the management API on, as with RabbitMQ's plugin. */
  static BrokerConfig defaults(BrokerConfig config) {
    return config.withManagement(ManagementConfig.standalone());
  }

  /** As RabbitMQ's listener settings, 0 means no listener here (not "any free port"). */
  static BrokerConfig apply(BrokerConfig config, String option, String value) {
    ManagementConfig management = config.management();
    return config.withManagement(
        switch (option) {
          case "--management-port" -> management.withPort(port(option, value));
          case "--management-tls-port" -> management.withTlsPort(port(option, value));
          case "--management-bind" -> management.withBindAddress(value);
          default -> throw new IllegalStateException("unhandled option " + option);
        });
  }

  /** TLS for the management API reuses the AMQPS key store. */
  static void checkComplete(BrokerConfig config) {
    if (config.management().tlsPort() != ManagementConfig.OFF
        && (config.security().tls() == null || config.security().tls().keyStore() == null)) {
      throw new IllegalArgumentException("--management-tls-port needs --tls-keystore");
    }
  }

  private static int port(String option, String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port == 0 ? ManagementConfig.OFF : port;
      }
    } catch (NumberFormatException e) {
      // reported below like any other out-of-range value
    }
    throw new IllegalArgumentException(option + " needs a number from 0 to 65535, not " + value);
  }
}
