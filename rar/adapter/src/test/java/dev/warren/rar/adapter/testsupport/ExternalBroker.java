package dev.warren.rar.adapter.testsupport;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** A broker outside the adapter, started by the test, for the adapter's remote mode. */
public interface ExternalBroker extends AutoCloseable {

  /** Its AMQP port on 127.0.0.1. */
  int port();

  /**
   * Stops the broker and starts it again on the same port and data: every client loses its
   * connection, durable queues and persistent messages come back.
   */
  void restart();

  /** What the test's own clients connect with: the default user. */
  default Connection client(String name) throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port());
    factory.setAutomaticRecoveryEnabled(false);
    return factory.newConnection(name);
  }

  @Override
  void close();
}
