package dev.warren.broker.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A RabbitMQ node of Debian's {@code rabbitmq-server} package, started by a test as the reference
 * for a differential comparison. Each node is isolated: its own node name, private epmd, ports,
 * data and log directories, and {@code HOME} (so its own Erlang cookie); everything listens on
 * loopback only. Closing it stops the node and its epmd and deletes its directory.
 */
public final class RabbitMqNode implements AutoCloseable {
  private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 3;
  private static final String HOST = "127.0.0.1";

  /** The plugins a test may enable; the AMQP listener is always on. */
  public enum Plugin {
    MANAGEMENT("rabbitmq_management"),
    PROMETHEUS("rabbitmq_prometheus");

    private final String pluginName;

    Plugin(String pluginName) {
      this.pluginName = pluginName;
    }
  }

  private final Path dir;
  private final Map<String, String> environment;
  private final String nodeName;
  private final int amqpPort;
  private final int managementPort;
  private final int prometheusPort;
  private final Process epmd;
  private final List<RabbitmqctlSession> sessions = new ArrayList<>();
  private Process server;

  private RabbitMqNode(
      Path dir,
      Map<String, String> environment,
      String nodeName,
      int amqpPort,
      int managementPort,
      int prometheusPort,
      Process epmd) {
    this.dir = dir;
    this.environment = environment;
    this.nodeName = nodeName;
    this.amqpPort = amqpPort;
    this.managementPort = managementPort;
    this.prometheusPort = prometheusPort;
    this.epmd = epmd;
  }

  public static boolean isInstalled() {
    return Files.isExecutable(BIN.resolve("rabbitmq-server"));
  }

  /**
   * Skips the calling test when RabbitMQ is not installed on a developer machine, but fails it on
   * CI (environment variable {@code CI} set), where a skipped comparison would hide a broken
   * set-up.
   */
  public static void requireInstalled() {
    if (isInstalled()) {
      return;
    }
    String message = "Debian's rabbitmq-server is not installed (./test.sh installs it)";
    if (System.getenv("CI") != null) {
      fail(message + " — failing because CI is set");
    }
    Assumptions.abort(message + " — skipped (set CI to make this a failure)");
  }

  /** Starts a node with the given plugins and waits until every listener accepts connections. */
  public static RabbitMqNode start(Plugin... plugins) {
    return start(Map.of(), plugins);
  }

  /**
   * Starts a node with extra {@code rabbitmq.conf} settings, e.g. {@code
   * collect_statistics_interval} and {@code management.sample_retention_policies.*} for a test that
   * waits for the management API's figures (5 s apart by default).
   */
  public static RabbitMqNode start(Map<String, String> settings, Plugin... plugins) {
    requireInstalled();
    Set<Plugin> enabled = plugins.length == 0 ? Set.of() : EnumSet.of(plugins[0], plugins);
    for (int attempt = 1; ; attempt++) {
      try {
        return start(settings, enabled);
      } catch (PortTaken e) {
        // free ports are picked before the node binds them: on a busy machine another process
        // may take one in between, so a node that found one taken starts again on new ones
        if (attempt == PORT_ATTEMPTS) {
          fail(e.getMessage());
        }
      }
    }
  }

  private static RabbitMqNode start(Map<String, String> settings, Set<Plugin> enabled) {
    try {
      Path dir = Files.createTempDirectory("warren-rabbitmq-");
      List<Integer> ports = FreePorts.take(5);
      int epmdPort = ports.get(0);
      int amqpPort = ports.get(1);
      int distPort = ports.get(2);
      int managementPort = enabled.contains(Plugin.MANAGEMENT) ? ports.get(3) : -1;
      int prometheusPort = enabled.contains(Plugin.PROMETHEUS) ? ports.get(4) : -1;
      String nodeName =
          "warren-ref-" + ProcessHandle.current().pid() + "-" + amqpPort + "@localhost";
      writeConfiguration(dir, enabled, settings, amqpPort, managementPort, prometheusPort);
      Map<String, String> environment = environment(dir, nodeName, epmdPort, amqpPort, distPort);
      Process epmd =
          new ProcessBuilder("epmd", "-port", String.valueOf(epmdPort), "-address", HOST)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("epmd.log").toFile())
              .start();
      RabbitMqNode node =
          new RabbitMqNode(
              dir, environment, nodeName, amqpPort, managementPort, prometheusPort, epmd);
      node.boot();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a RabbitMQ node", e);
    }
  }

  private static void writeConfiguration(
      Path dir,
      Set<Plugin> plugins,
      Map<String, String> settings,
      int amqpPort,
      int managementPort,
      int prometheusPort)
      throws IOException {
    Files.createDirectories(dir.resolve("home"));
    Files.writeString(dir.resolve("rabbitmq-env.conf"), "");
    Files.writeString(
        dir.resolve("enabled_plugins"),
        plugins.stream().map(p -> p.pluginName).collect(Collectors.joining(",", "[", "].")) + "\n");
    StringBuilder conf = new StringBuilder();
    conf.append("listeners.tcp.default = ").append(HOST).append(':').append(amqpPort).append('\n');
    if (managementPort > 0) {
      conf.append("management.tcp.ip = ").append(HOST).append('\n');
      conf.append("management.tcp.port = ").append(managementPort).append('\n');
    }
    if (prometheusPort > 0) {
      conf.append("prometheus.tcp.ip = ").append(HOST).append('\n');
      conf.append("prometheus.tcp.port = ").append(prometheusPort).append('\n');
    }
    settings.forEach((key, value) -> conf.append(key).append(" = ").append(value).append('\n'));
    Files.writeString(dir.resolve("rabbitmq.conf"), conf);
  }

  private static Map<String, String> environment(
      Path dir, String nodeName, int epmdPort, int amqpPort, int distPort) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", dir.resolve("home").toString());
    env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
    env.put("ERL_EPMD_ADDRESS", HOST);
    env.put("RABBITMQ_NODENAME", nodeName);
    env.put("RABBITMQ_USE_LONGNAME", "false");
    env.put("RABBITMQ_NODE_IP_ADDRESS", HOST);
    env.put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort));
    env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
    env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_PID_FILE", dir.resolve("beam.pid").toString());
    return env;
  }

  private void boot() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(BIN.resolve("rabbitmq-server").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile());
    builder.environment().putAll(environment);
    server = builder.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    List<Integer> listeners = new ArrayList<>(List.of(amqpPort));
    if (managementPort > 0) {
      listeners.add(managementPort);
    }
    if (prometheusPort > 0) {
      listeners.add(prometheusPort);
    }
    for (int port : listeners) {
      while (!accepts(port)) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          String log = readQuietly(dir.resolve("server.log"));
          close();
          String failure = "RabbitMQ node " + nodeName + " did not open port " + port + ":\n" + log;
          if (log.contains("eaddrinuse")) {
            throw new PortTaken(failure);
          }
          fail(failure);
        }
        pause();
      }
    }
  }

  /** The node could not bind a port picked for it: another process took it meanwhile. */
  private static final class PortTaken extends RuntimeException {
    PortTaken(String message) {
      super(message);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100); // polling a port for a deadline: there is nothing to wait on instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while RabbitMQ was starting", e);
    }
  }

  public String host() {
    return HOST;
  }

  public int amqpPort() {
    return amqpPort;
  }

  /** The management plugin's HTTP port, or -1 if it was not enabled. */
  public int managementPort() {
    return managementPort;
  }

  /** The Prometheus plugin's HTTP port, or -1 if it was not enabled. */
  public int prometheusPort() {
    return prometheusPort;
  }

  public String nodeName() {
    return nodeName;
  }

  /**
   * The environment that addresses this node: a process started with it (rabbitmqctl,
   * rabbitmqadmin, a client script) talks to this node and to no other.
   */
  public Map<String, String> environment() {
    return Map.copyOf(environment);
  }

  /** What a run of {@code rabbitmqctl} printed and how it exited. */
  public record CtlResult(int exitCode, String out, String err) {}

  /**
   * Runs {@code rabbitmqctl} against this node and returns what it printed on stdout.
   *
   * @throws AssertionError if it fails or takes longer than a minute
   */
  public String rabbitmqctl(String... arguments) {
    CtlResult result = rabbitmqctlResult(arguments);
    if (result.exitCode() != 0) {
      fail(
          "rabbitmqctl "
              + String.join(" ", arguments)
              + " exited with "
              + result.exitCode()
              + ":\n"
              + result.err()
              + result.out());
    }
    return result.out();
  }

  /**
   * Runs {@code rabbitmqctl} against this node, whatever its exit code (for tests that compare
   * error output too).
   *
   * @throws AssertionError if it takes longer than a minute
   */
  public CtlResult rabbitmqctlResult(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(BIN.resolve("rabbitmqctl").toString());
    command.add("-n");
    command.add(nodeName);
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    try {
      Path out = Files.createTempFile(dir, "ctl-", ".out");
      Path err = Files.createTempFile(dir, "ctl-", ".err");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("rabbitmqctl " + String.join(" ", arguments) + " did not finish within a minute");
      }
      return new CtlResult(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running rabbitmqctl", e);
    }
  }

  /**
   * A rabbitmqctl that runs many commands against this node fast (see {@link RabbitmqctlSession});
   * closed with the node if not before.
   */
  public RabbitmqctlSession rabbitmqctlSession() {
    try {
      Path sessionDir = Files.createTempDirectory(dir, "ctl-session-");
      Path scriptsDir = BIN.resolve("rabbitmqctl").toRealPath().getParent();
      RabbitmqctlSession session =
          RabbitmqctlSession.start(scriptsDir, sessionDir, environment, nodeName);
      sessions.add(session);
      return session;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the node (SIGTERM to the Erlang VM, then SIGKILL after a grace period), its epmd and its
   * rabbitmqctl sessions.
   */
  @Override
  public void close() {
    sessions.forEach(RabbitmqctlSession::close);
    sessions.clear();
    if (server != null) {
      readPid(dir.resolve("beam.pid")).ifPresent(RabbitMqNode::stop);
      stop(server.toHandle());
      server = null;
    }
    stop(epmd.toHandle());
    deleteRecursively(dir);
  }

  private static java.util.Optional<ProcessHandle> readPid(Path pidFile) {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static void stop(ProcessHandle process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception notStopped) {
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }
}
