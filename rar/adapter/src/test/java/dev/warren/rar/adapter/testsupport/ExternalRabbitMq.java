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
    node.rabbitmqctl("stop_app");
    node.rabbitmqctl("start_app");
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
