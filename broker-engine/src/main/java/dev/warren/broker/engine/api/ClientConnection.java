package dev.warren.broker.engine.api;

/**
 * The owner of a {@link BrokerConnection} as the broker sees it: it describes the connection for
 * listings and closes it when an operator or a definitions change demands it.
 */
public interface ClientConnection {

  ConnectionDetails details();

  /** RabbitMQ's connection state: "running", or "blocked"/"blocking" under a resource alarm. */
  default String state() {
    return "running";
  }

  /** Where the connection's socket traffic is counted, for statistics; an in-VM client has none. */
  default ConnectionTraffic traffic() {
    return ConnectionTraffic.NONE;
  }

  /**
   * Closes the connection from any thread, as RabbitMQ's forced close does: an AMQP client gets
   * connection.close with 320 CONNECTION_FORCED and {@code reason} as the text.
   */
  void forceClose(String reason);
}
