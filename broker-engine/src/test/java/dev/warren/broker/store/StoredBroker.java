package dev.warren.broker.store;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An in-JVM Warren on a given data directory, restartable on the same directory. */
final class StoredBroker implements AutoCloseable {
  private final BrokerEngine engine;
  private final Connection connection;

  private StoredBroker(BrokerEngine engine, Connection connection) {
    this.engine = engine;
    this.connection = connection;
  }

  static StoredBroker start(Path dataDir) throws Exception {
    return start(dataDir, StoreConfig.defaults());
  }

  static StoredBroker start(Path dataDir, StoreConfig store) throws Exception {
    BrokerEngine engine =
        BrokerEngine.start(
            BrokerConfig.defaults()
                .withBindAddress("127.0.0.1")
                .withPort(0)
                .withDataDir(dataDir)
                .withStore(store));
    return new StoredBroker(engine, factory(engine.amqpPort()).newConnection());
  }

  /** A client's connection factory for a broker on {@code port} of loopback. */
  static ConnectionFactory factory(int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }

  int port() {
    return engine.amqpPort();
  }

  Channel channel() throws Exception {
    return connection.createChannel();
  }

  Connection connection() {
    return connection;
  }

  /** A further client connection, for what must not close the shared one. */
  Connection newConnection() throws Exception {
    return factory(engine.amqpPort()).newConnection();
  }

  /** Takes every ready message of a queue with basic.get and auto-ack, as text. */
  List<GetResponse> drain(String queue) throws Exception {
    List<GetResponse> all = new ArrayList<>();
    try (Channel channel = channel()) {
      for (int i = 0; i < 1_000_000; i++) {
        GetResponse response = channel.basicGet(queue, true);
        if (response == null) {
          break;
        }
        all.add(response);
      }
    }
    return all;
  }

  static String text(GetResponse response) {
    return new String(response.getBody(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    try {
      if (connection.isOpen()) {
        connection.abort(5_000); // a connection blocked by an alarm is not read: no close-ok
      }
    } finally {
      engine.close();
    }
  }
}
