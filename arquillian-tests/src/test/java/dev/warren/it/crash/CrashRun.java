package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.it.crash.app.CrashConsumer;
import dev.warren.it.crash.app.CrashPublisher;
import dev.warren.it.crash.app.KillingXAResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Crashes of one server in the middle of XA transactions that span the adapter and an H2 XA
 * datasource: the server kills itself (SIGKILL) in a transaction, is started again on the same
 * files, and its transaction manager's recovery must complete the transaction whole: the message
 * and the row both there, or both absent. Ordinary transactions before and after every kill are
 * checked the same way, and how long the restart and the recovery took is logged.
 */
final class CrashRun {
  private static final System.Logger LOG = System.getLogger(CrashRun.class.getName());
  private static final int NORMAL_PER_KILL = 2;
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);

  private final Map<String, Boolean> expectedOutbound = new HashMap<>();
  private final Map<String, Integer> publishedOutbound = new HashMap<>();
  private final List<String> inboundIds = new ArrayList<>();
  private final List<String> report = new ArrayList<>();
  private final String serverName;
  private final ServerProcess server;
  private final int amqpPort;
  private final Path warrenData;

  private String user = "guest";
  private String password = "guest";

  CrashRun(String serverName, ServerProcess server, int amqpPort, Path warrenData) {
    this.serverName = serverName;
    this.server = server;
    this.amqpPort = amqpPort;
    this.warrenData = warrenData;
  }

  /** The AMQP user the test's own client logs in as (guest by default). */
  CrashRun loggingInAs(String user, String password) {
    this.user = user;
    this.password = password;
    return this;
  }

  /**
   * Kills the running server {@code kills} times, each time in the next scenario, with ordinary
   * transactions before and after each kill; returns the transactions found half-applied.
   */
  List<String> killAndRecover(int kills) throws Exception {
    for (int kill = 1; kill <= kills; kill++) {
      CrashScenario scenario = CrashScenario.ALL.get((kill - 1) % CrashScenario.ALL.size());
      String id = "kill" + kill + "-" + scenario.name();
      runNormalTransactions("before" + kill);
      long killed = crash(scenario, id);
      Duration boot = server.start();
      long booted = System.nanoTime();
      awaitNothingInDoubt();
      String sentinel = "after" + kill;
      runNormalTransactions(sentinel);
      awaitSettled(sentinel);
      Duration resolved = Duration.ofNanos(System.nanoTime() - booted);
      report.add(
          String.format(
              "%s kill %d %s: restart %d ms, then recovery %d ms (%d ms from the kill)",
              serverName,
              kill,
              scenario.name(),
              boot.toMillis(),
              resolved.toMillis(),
              (System.nanoTime() - killed) / 1_000_000));
    }
    List<String> halfApplied = check();
    report.add(
        String.format(
            "%s crash recovery: %d kills, %d transactions checked, %d half-applied %s",
            serverName,
            kills,
            expectedOutbound.size() + inboundIds.size(),
            halfApplied.size(),
            halfApplied));
    report.forEach(line -> LOG.log(System.Logger.Level.INFO, line));
    // the figures outlive the build's output: target/crash-report-<server>.txt
    Files.write(Path.of("target", "crash-report-" + serverName.replace(' ', '-') + ".txt"), report);
    return halfApplied;
  }

  private void runNormalTransactions(String prefix) throws Exception {
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      for (int i = 0; i < NORMAL_PER_KILL; i++) {
        String outbound = prefix + "-out" + i;
        server.post("outbound/" + outbound + "/" + CrashPublisher.KillPoint.NONE);
        expectedOutbound.put(outbound, true);
        String inbound = prefix + "-in" + i;
        publishInbound(channel, inbound, null);
        inboundIds.add(inbound);
      }
    }
  }

  /** Starts the scenario's transaction and waits for the server to die in it. */
  private long crash(CrashScenario scenario, String id) throws Exception {
    if (scenario.outbound()) {
      expectedOutbound.put(id, scenario.committed());
      server.postAndExpectDeath("outbound/" + id + "/" + scenario.killPoint());
    } else {
      inboundIds.add(id);
      try (Connection connection = connect()) {
        publishInbound(connection.createChannel(), id, scenario.inboundPhase());
      }
    }
    server.awaitDeath(Duration.ofMinutes(2));
    assertTrue(Files.exists(server.markers().resolve(id)), "the server died in " + id);
    return System.nanoTime();
  }

  private static void publishInbound(Channel channel, String id, KillingXAResource.Phase kill)
      throws IOException {
    Map<String, Object> headers =
        kill == null ? Map.of() : Map.of(CrashConsumer.KILL_HEADER, kill.name());
    channel.basicPublish(
        "",
        CrashConsumer.QUEUE,
        new AMQP.BasicProperties.Builder().deliveryMode(2).headers(headers).build(),
        id.getBytes(StandardCharsets.UTF_8));
  }

  /** Neither the adapter nor the database holds a prepared, undecided branch any more. */
  private void awaitNothingInDoubt() {
    Path branches = warrenData.resolve("xa-branches");
    Deadline.await(
        RECOVERY_TIMEOUT,
        "recovery of the prepared branches",
        () -> {
          try {
            return server.get("in-doubt").isBlank() && listBranches(branches).isEmpty();
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** The sentinel transactions (run after everything before them) are visible on both sides. */
  private void awaitSettled(String sentinel) {
    Deadline.await(
        RECOVERY_TIMEOUT,
        "the inbound sentinel's row",
        () -> {
          try {
            return Arrays.asList(server.get("rows/crash_inbound").split("\n"))
                .contains(sentinel + "-in" + (NORMAL_PER_KILL - 1));
          } catch (Exception e) {
            return false;
          }
        });
    // the outbound sentinel's message is in the queue: drain up to it
    Deadline.await(
        RECOVERY_TIMEOUT,
        "the outbound sentinel's message",
        () -> {
          try {
            drainOutbound();
            return publishedOutbound.containsKey(sentinel + "-out" + (NORMAL_PER_KILL - 1));
          } catch (Exception e) {
            return false;
          }
        });
  }

  private void drainOutbound() throws Exception {
    try (Connection connection = connect()) {
      Channel channel = connection.createChannel();
      GetResponse response;
      while ((response = channel.basicGet(CrashPublisher.QUEUE, true)) != null) {
        publishedOutbound.merge(
            new String(response.getBody(), StandardCharsets.UTF_8), 1, Integer::sum);
      }
    }
  }

  /** Every transaction whose two sides disagree, or whose outcome is not the one expected. */
  private List<String> check() throws Exception {
    List<String> problems = new ArrayList<>();
    drainOutbound();
    Map<String, Integer> outboundRows = count(server.get("rows/crash_outbound"));
    expectedOutbound.forEach(
        (id, committed) -> {
          int rows = outboundRows.getOrDefault(id, 0);
          int messages = publishedOutbound.getOrDefault(id, 0);
          int expected = committed ? 1 : 0;
          if (rows != expected || messages != expected) {
            problems.add(
                id + ": " + rows + " rows, " + messages + " messages, expected " + expected);
          }
        });
    Map<String, Integer> inboundRows = count(server.get("rows/crash_inbound"));
    for (String id : inboundIds) {
      int rows = inboundRows.getOrDefault(id, 0);
      if (rows != 1) {
        problems.add(id + ": consumed with " + rows + " rows, expected 1");
      }
    }
    try (Connection connection = connect()) {
      long left =
          connection.createChannel().queueDeclarePassive(CrashConsumer.QUEUE).getMessageCount();
      if (left != 0) {
        problems.add(CrashConsumer.QUEUE + ": " + left + " messages never consumed");
      }
    }
    return problems;
  }

  private static Map<String, Integer> count(String lines) {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines.split("\n")) {
      if (!line.isBlank()) {
        counts.merge(line.strip(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static List<Path> listBranches(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      // the connection factory's prepared publishes and the MDB deliveries' prepared acks
      return files
          .filter(f -> f.getFileName().toString().matches(".*\\.(branch|delivery)$"))
          .toList();
    }
  }

  private Connection connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(amqpPort);
    factory.setUsername(user);
    factory.setPassword(password);
    return factory.newConnection("crash test");
  }
}
