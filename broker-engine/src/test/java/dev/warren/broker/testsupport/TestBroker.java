package dev.warren.broker.testsupport;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.ManagementConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A broker for one test class: Warren started in this JVM on a free loopback port, or — when the
 * system property {@code warren.test.externalPort} is set — an already running broker on that port
 * (used to check the tests themselves against RabbitMQ).
 */
public final class TestBroker implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  private static final String EXTERNAL_PORT = "warren.test.externalPort";

  private final BrokerEngine engine;
  private final Path dataDir;
  private final int port;

  private TestBroker(BrokerEngine engine, Path dataDir, int port) {
    this.engine = engine;
    this.dataDir = dataDir;
    this.port = port;
  }

  public static TestBroker start() {
    return start(BrokerConfig.defaults());
  }

  /** Starts Warren with the given settings, overriding only address, port and data directory. */
  public static TestBroker start(BrokerConfig base) {
    String external = System.getProperty(EXTERNAL_PORT);
    if (external != null && !external.isBlank()) {
      return new TestBroker(null, null, Integer.parseInt(external.trim()));
    }
    try {
      Path dataDir = Files.createTempDirectory("warren-test-");
      BrokerEngine engine =
          BrokerEngine.start(base.withBindAddress(HOST).withPort(0).withDataDir(dataDir));
      return new TestBroker(engine, dataDir, engine.amqpPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts Warren with the management API on a free loopback port too (it is off in the other
   * variants, so that the many tests that do not need it stay quick).
   */
  public static TestBroker startWithManagement(BrokerConfig base) {
    return start(base.withManagement(new ManagementConfig(0, HOST, ManagementConfig.OFF)));
  }

  public int port() {
    return port;
  }

  /** The management API's HTTP port, or -1 if it is off. */
  public int managementPort() {
    return engine == null ? -1 : engine.managementPort();
  }

  /** The engine when Warren runs in this JVM, for tests that look at the model; else null. */
  public BrokerEngine engine() {
    return engine;
  }

  public boolean isWarren() {
    return engine != null;
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
