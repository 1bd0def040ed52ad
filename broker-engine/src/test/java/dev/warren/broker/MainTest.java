package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone broker's command line, in-process and as a real process. */
class MainTest {
  private static final Pattern LISTENING =
      Pattern.compile("listening .* on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void optionsOverrideTheDefaults() {
    BrokerConfig config =
        Main.parse(
            new String[] {"--port", "0", "--bind", "127.0.0.1", "--data-dir", "some-dir"},
            BrokerConfig.defaults());

    assertEquals(0, config.port());
    assertEquals("127.0.0.1", config.bindAddress());
    assertEquals(Path.of("some-dir"), config.dataDir());
  }

  @Test
  void helpAsksForTheUsageText() {
    assertNull(Main.parse(new String[] {"--help"}, BrokerConfig.defaults()));
  }

  @Test
  void unknownOptionsMissingValuesAndBadPortsAreRejected() {
    BrokerConfig defaults = BrokerConfig.defaults();
    assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--x"}, defaults));
    assertThrows(
        IllegalArgumentException.class, () -> Main.parse(new String[] {"--port"}, defaults));
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--port", "70000"}, defaults));
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--port", "five"}, defaults));
  }

  @Test
  void versionPrintsWarrensReleaseAndTheRabbitMqReleaseItImplements() throws Exception {
    Process process = java("--version").redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits");
    assertEquals(0, process.exitValue());
    String[] lines = output.strip().split("\\R");
    assertEquals("Warren " + BrokerVersion.warren(), lines[0]);
    assertTrue(
        lines[1].startsWith("RabbitMQ " + BrokerVersion.RABBITMQ + " "), () -> "got " + output);
  }

  @Test
  void badArgumentsExitWithCode2() throws Exception {
    Process process =
        java("--no-such-option")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();

    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits");
    assertEquals(Main.EXIT_USAGE, process.exitValue());
  }

  @Test
  void brokerProcessReportsItsPortAndClosesConnectionsWith320OnSigterm(@TempDir Path dataDir)
      throws Exception {
    Process process =
        java(
                "--port",
                "0",
                "--bind",
                "127.0.0.1",
                "--data-dir",
                dataDir.toString(),
                "--management-port",
                "0",
                "--prometheus-port",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      int port = awaitListeningPort(process);
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      factory.setPort(port);
      factory.setAutomaticRecoveryEnabled(false);
      Connection connection = factory.newConnection();
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);

      process.destroy(); // SIGTERM

      ShutdownSignalException signal = closed.get(20, TimeUnit.SECONDS);
      assertEquals(320, ((AMQP.Connection.Close) signal.getReason()).getReplyCode());
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "process exits after SIGTERM");
    } finally {
      process.destroyForcibly();
    }
  }

  /** Reads the broker's log until the line that names the bound port; bounded by lines read. */
  private static int awaitListeningPort(Process process) throws IOException {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < 200; i++) {
      String line = output.readLine();
      if (line == null) {
        break;
      }
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        drainInBackground(output);
        return Integer.parseInt(matcher.group(1));
      }
    }
    throw new AssertionError("the broker never said where it listens");
  }

  /** Keeps the child's pipe from filling up and blocking its logging. */
  private static void drainInBackground(BufferedReader output) {
    Thread drainer =
        new Thread(
            () -> {
              try {
                while (output.readLine() != null) {
                  // discard
                }
              } catch (IOException closed) {
                // the process ended
              }
            },
            "main-test-drain");
    drainer.setDaemon(true);
    drainer.start();
  }

  private static ProcessBuilder java(String... args) {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    String[] command = new String[args.length + 4];
    command[0] = javaBin.toString();
    command[1] = "-cp";
    command[2] = System.getProperty("java.class.path");
    command[3] = Main.class.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    assertTrue(Files.isExecutable(javaBin));
    return new ProcessBuilder(command);
  }
}
