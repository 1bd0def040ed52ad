package dev.warren.broker.store;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The standalone broker ({@code dev.warren.broker.Main}) as a child process on this JVM's class
 * path, for tests that kill it the hard way.
 */
public final class BrokerProcess {
  private static final Pattern LISTENING =
      Pattern.compile("listening for AMQP 0-9-1 on [^ ,;]*:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final int port;

  private BrokerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a broker logging to {@code log} (a new file) and waits for its listening line. */
  public static BrokerProcess start(Path dataDir, Path log, String... extraArguments)
      throws IOException, InterruptedException {
    return startWithHeap("256m", dataDir, log, extraArguments);
  }

  /** Like {@link #start} with the given maximum heap (-Xmx). */
  public static BrokerProcess startWithHeap(
      String maxHeap, Path dataDir, Path log, String... extraArguments)
      throws IOException, InterruptedException {
    return startThrough(List.of(), maxHeap, dataDir, log, extraArguments);
  }

  /**
   * Like {@link #startWithHeap}, the java command run through {@code launcher} (for instance {@code
   * ip netns exec NAME}, which execs it: the process is the broker's own).
   */
  public static BrokerProcess startThrough(
      List<String> launcher, String maxHeap, Path dataDir, Path log, String... extraArguments)
      throws IOException, InterruptedException {
    return startThrough(launcher, maxHeap, START_TIMEOUT, dataDir, log, extraArguments);
  }

  /**
   * Like {@link #startThrough(List, String, Path, Path, String...)}, waiting up to {@code timeout}
   * for the listening line (a cluster node listens only once a majority is up, which may take as
   * long as the slowest other node's start).
   */
  public static BrokerProcess startThrough(
      List<String> launcher,
      String maxHeap,
      Duration timeout,
      Path dataDir,
      Path log,
      String... extraArguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-cp");
    command.add(brokerClassPath());
    command.add("dev.warren.broker.Main");
    command.addAll(List.of("--bind", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
    // no management or Prometheus listener unless the test asks for one (a later option wins)
    command.addAll(List.of("--management-port", "0", "--prometheus-port", "0"));
    command.addAll(List.of(extraArguments));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (matcher.find()) {
        return new BrokerProcess(process, log, Integer.parseInt(matcher.group(1)));
      }
      if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("broker exited: " + Files.readString(log));
      }
    }
    process.destroyForcibly();
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    throw new IllegalStateException(
        "broker did not start within "
            + timeout
            + "; it printed: "
            + printed.substring(Math.max(0, printed.length() - 2000)));
  }

  /**
   * The test's class path without JBoss Modules, which WildFly's Arquillian connector brings: it is
   * a System.LoggerFinder that holds every line until JBoss Modules sets logging up, so a broker
   * started with it would never print the line this class waits for.
   */
  private static String brokerClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jboss-modules"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** kill -9: no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** A normal stop (SIGTERM), waiting for the shutdown hook. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
