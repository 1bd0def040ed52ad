package dev.warren.rar.adapter;

import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ResourceAlarms;

/**
 * Where the adapter's messages go: the broker embedded in this server, or an external one reached
 * through RabbitMQ's Java client (the {@code mode} property). Inbound delivery, outbound publishing
 * and the transaction code see only this and the engine API's connections and channels, so neither
 * of them knows which one it talks to.
 */
public interface BrokerBackend {

  /**
   * Opens a connection as the adapter's own user, to its virtual host.
   *
   * @param clientName shown by the broker (logs, the management UI's connection name)
   * @throws BrokerUnreachableException if the broker cannot be reached now
   * @throws dev.warren.broker.engine.api.BrokerException if the broker refuses
   */
  BrokerConnection connect(String clientName);

  /** While one is raised, in-VM publishers wait before publishing. */
  ResourceAlarms alarms();

  /** One line for the log: which broker, where. */
  String description();

  /** Releases the broker (the embedded one stops when its last user is gone). Idempotent. */
  void close();
}
