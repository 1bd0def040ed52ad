package dev.warren.rar.adapter.testsupport;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.testsupport.FreePorts;
import dev.warren.rar.adapter.WarrenResourceAdapter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A started adapter on a free loopback port and a private data directory; or, with {@link #remote},
 * one in remote mode.
 */
public final class RunningAdapter implements AutoCloseable {
  public final WarrenResourceAdapter adapter = new WarrenResourceAdapter();
  public final DirectWorkManager workManager = new DirectWorkManager();
  public final int port;

  public RunningAdapter(Path dataDirectory) throws Exception {
    this(dataDirectory, freePort());
  }

  public RunningAdapter(Path dataDirectory, int port) throws Exception {
    this(dataDirectory, port, adapter -> {});
  }

  /**
   * @param configure sets further properties before the adapter starts
   */
  public RunningAdapter(Path dataDirectory, Consumer<WarrenResourceAdapter> configure)
      throws Exception {
    this(dataDirectory, freePort(), configure);
  }

  private RunningAdapter(Path dataDirectory, int port, Consumer<WarrenResourceAdapter> configure)
      throws Exception {
    this.port = port;
    adapter.setPort(port);
    adapter.setBindAddress("127.0.0.1");
    adapter.setDataDirectory(dataDirectory.toString());
    adapter.setManagementPort(0); // off unless a test asks for it
    configure.accept(adapter);
    adapter.start(new FakeBootstrapContext(workManager));
  }

  /**
   * An adapter in remote mode with the broker at 127.0.0.1:{@code brokerPort}, reconnecting every
   * 200 ms (the default 5 s would only slow the tests down).
   */
  public static RunningAdapter remote(
      Path dataDirectory, int brokerPort, Consumer<WarrenResourceAdapter> configure)
      throws Exception {
    return remote(dataDirectory, "127.0.0.1:" + brokerPort, configure);
  }

  public static RunningAdapter remote(
      Path dataDirectory, String addresses, Consumer<WarrenResourceAdapter> configure)
      throws Exception {
    return new RunningAdapter(
        dataDirectory,
        -1,
        adapter -> {
          adapter.setMode("remote");
          adapter.setAddresses(addresses);
          adapter.setRecoveryInterval(200L);
          configure.accept(adapter);
        });
  }

  /** RabbitMQ's Java client connected to the adapter's AMQP listener. */
  public Connection externalClient() throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    return factory.newConnection("adapter-test");
  }

  /** A port that was free a moment ago, outside the range outgoing connections take theirs from. */
  public static int freePort() {
    return FreePorts.take();
  }

  @Override
  public void close() throws Exception {
    adapter.stop();
    workManager.close();
  }
}
