package dev.warren.broker.engine;

/**
 * The management HTTP API's listeners (RabbitMQ's management plugin, port 15672).
 *
 * @param port HTTP port; 0 picks a free one, -1 opens none
 * @param bindAddress address the HTTP listeners bind to
 * @param tlsPort HTTPS port, with the AMQPS key store (see {@link TlsConfig}); 0 picks a free one,
 *     -1 opens none
 */
public record ManagementConfig(int port, String bindAddress, int tlsPort) {
  public static final int DEFAULT_PORT = 15672;
  public static final int OFF = -1;

  /** No management listener: the engine's default, e.g. for in-VM tests. */
  public static final ManagementConfig NONE = new ManagementConfig(OFF, "0.0.0.0", OFF);

  /** What the standalone broker opens unless told otherwise, as RabbitMQ's plugin does. */
  public static ManagementConfig standalone() {
    return new ManagementConfig(DEFAULT_PORT, "0.0.0.0", OFF);
  }

  public boolean enabled() {
    return port != OFF || tlsPort != OFF;
  }

  public ManagementConfig withPort(int value) {
    return new ManagementConfig(value, bindAddress, tlsPort);
  }

  public ManagementConfig withBindAddress(String value) {
    return new ManagementConfig(port, value, tlsPort);
  }

  public ManagementConfig withTlsPort(int value) {
    return new ManagementConfig(port, bindAddress, value);
  }
}
