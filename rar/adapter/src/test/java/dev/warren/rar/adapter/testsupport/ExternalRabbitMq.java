package dev.warren.rar.adapter.testsupport;

import dev.warren.broker.testsupport.RabbitMqNode;

/**
 * RabbitMQ itself (Debian's 3.10 package), an isolated node per test class. Restarting stops and
 * starts the broker application inside the node: clients are disconnected, the listener goes away
 * and comes back on the same port, durable queues keep their persistent messages.
 */
public final class ExternalRabbitMq implements ExternalBroker {
  private final RabbitMqNode node;

  private ExternalRabbitMq(RabbitMqNode node) {
    this.node = node;
  }

  /** Skips the calling test (fails it when CI is set) if RabbitMQ is not installed. */
  public static ExternalRabbitMq start() {
    return new ExternalRabbitMq(RabbitMqNode.start());
  }

  @Override
  public int port() {
    return node.amqpPort();
  }

  @Override
  public void restart() {
    rabbitmqctlWithRetries("stop_app");
    rabbitmqctlWithRetries("start_app");
  }

  /**
   * On a loaded machine the CLI's distribution handshake with the node sometimes times out ("TCP
   * connection succeeded but Erlang distribution failed"); the node is fine, so try again.
   */
  private void rabbitmqctlWithRetries(String command) {
    AssertionError failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        node.rabbitmqctl(command);
        return;
      } catch (AssertionError e) {
        failure = e;
      }
    }
    throw failure;
  }

  /** Runs rabbitmqctl against this node. */
  public String rabbitmqctl(String... arguments) {
    return node.rabbitmqctl(arguments);
  }

  @Override
  public void close() {
    node.close();
  }
}
