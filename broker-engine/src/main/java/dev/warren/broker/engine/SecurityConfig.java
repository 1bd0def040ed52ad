package dev.warren.broker.engine;

import java.nio.file.Path;
import java.util.Set;

/**
 * Who may connect and how much a client may ask of the broker.
 *
 * @param definitionsFile users, vhosts and permissions in RabbitMQ's definitions format; null:
 *     vhost "/" and the default user of {@link BrokerConfig}
 * @param loopbackUsers users that may only connect from a loopback address (RabbitMQ's
 *     loopback_users)
 * @param maxConnections open AMQP connections beyond which new ones are refused; 0: no limit
 * @param tls the AMQPS listener, or null for none
 */
public record SecurityConfig(
    Path definitionsFile, Set<String> loopbackUsers, int maxConnections, TlsConfig tls) {

  public SecurityConfig {
    loopbackUsers = Set.copyOf(loopbackUsers);
  }

  public static SecurityConfig defaults() {
    return new SecurityConfig(null, Set.of("guest"), 0, null);
  }

  public SecurityConfig withDefinitionsFile(Path value) {
    return new SecurityConfig(value, loopbackUsers, maxConnections, tls);
  }

  public SecurityConfig withLoopbackUsers(Set<String> value) {
    return new SecurityConfig(definitionsFile, value, maxConnections, tls);
  }

  public SecurityConfig withMaxConnections(int value) {
    return new SecurityConfig(definitionsFile, loopbackUsers, value, tls);
  }

  public SecurityConfig withTls(TlsConfig value) {
    return new SecurityConfig(definitionsFile, loopbackUsers, maxConnections, value);
  }
}
