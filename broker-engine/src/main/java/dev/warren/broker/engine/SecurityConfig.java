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
 * @param maxQueuesPerVhost queues a virtual host may hold before a new declare is refused (406,
 *     RabbitMQ's max-queues vhost limit); 0 or negative: no limit
 * @param maxExchangesPerVhost the same for exchanges, not counting the predeclared ones (RabbitMQ
 *     has no such limit; the refusal is worded like its queue limit); 0 or negative: no limit
 */
public record SecurityConfig(
    Path definitionsFile,
    Set<String> loopbackUsers,
    int maxConnections,
    TlsConfig tls,
    int maxQueuesPerVhost,
    int maxExchangesPerVhost) {

  public SecurityConfig {
    loopbackUsers = Set.copyOf(loopbackUsers);
  }

  public static SecurityConfig defaults() {
    return new SecurityConfig(null, Set.of("guest"), 0, null, 0, 0);
  }

  public SecurityConfig withDefinitionsFile(Path value) {
    return new SecurityConfig(
        value, loopbackUsers, maxConnections, tls, maxQueuesPerVhost, maxExchangesPerVhost);
  }

  public SecurityConfig withLoopbackUsers(Set<String> value) {
    return new SecurityConfig(
        definitionsFile, value, maxConnections, tls, maxQueuesPerVhost, maxExchangesPerVhost);
  }

  public SecurityConfig withMaxConnections(int value) {
    return new SecurityConfig(
        definitionsFile, loopbackUsers, value, tls, maxQueuesPerVhost, maxExchangesPerVhost);
  }

  public SecurityConfig withTls(TlsConfig value) {
    return new SecurityConfig(
        definitionsFile,
        loopbackUsers,
        maxConnections,
        value,
        maxQueuesPerVhost,
        maxExchangesPerVhost);
  }

  public SecurityConfig withMaxQueuesPerVhost(int value) {
    return new SecurityConfig(
        definitionsFile, loopbackUsers, maxConnections, tls, value, maxExchangesPerVhost);
  }

  public SecurityConfig withMaxExchangesPerVhost(int value) {
    return new SecurityConfig(
        definitionsFile, loopbackUsers, maxConnections, tls, maxQueuesPerVhost, value);
  }
}
