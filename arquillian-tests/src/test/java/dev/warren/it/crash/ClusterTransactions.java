package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.warren.it.crash.clusterapp.OrderPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The cluster tests' transactions on one application server (the cluster application's EJB, which
 * publishes a batch to the quorum queue in a container-managed transaction), what became of each,
 * and the check of what a consumer elsewhere received: every committed message, none of a
 * rolled-back transaction, nothing that was never published, nothing twice.
 */
final class ClusterTransactions {
  private static final int PER_TRANSACTION = 10;
  private static final int COMMITTED_BEFORE_KILL = 4;
  private static final int MAX_TRANSACTIONS_WHILE_KILLING = 500;
  private static final String SENTINEL = "sentinel";
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final Set<String> committed = ConcurrentHashMap.newKeySet();
  private final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
  private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();

  /**
   * The cluster tests' scenario: three transactions on {@code server} (commit, roll back, commit),
   * of which the consumer must receive exactly the committed messages; then {@code server} is
   * killed (SIGKILL) while it goes on publishing, a sentinel is published through another node
   * after the kill, and once the consumer has it, every committed message must have arrived, none
   * of a rolled-back transaction, nothing twice. The report's lines go to {@code report} as they
   * are known.
   *
   * @param received what the consumer has received so far
   * @param sentinelPort the AMQP port of a node that stays up
   */
  void commitRollBackAndKill(
      ServerProcess server,
      String serverName,
      Supplier<List<String>> received,
      String consumerName,
      int sentinelPort,
      List<String> report)
      throws Exception {
    run(server, "first", true);
    run(server, "second", false);
    run(server, "third", true);
    Deadline.await(
        TIMEOUT,
        consumerName + " receiving the committed messages",
        () -> received.get().size() >= 2 * PER_TRANSACTION);
    assertEquals(committedSorted(), sorted(received.get()), "exactly the committed messages");

    ExecutorService publisher = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> publishing = publisher.submit(() -> runUntilKilled(server));
      Deadline.await(
          TIMEOUT,
          "transactions committed while publishing",
          () -> committed.size() >= (2 + COMMITTED_BEFORE_KILL) * PER_TRANSACTION);
      long killed = System.nanoTime();
      server.kill();
      int during = publishing.get(2, TimeUnit.MINUTES);
      publishSentinel(sentinelPort);
      Deadline.await(
          TIMEOUT,
          "the sentinel published after the kill",
          () -> received.get().contains(SENTINEL));
      report.add(
          "the sentinel reached %s %d ms after the kill"
              .formatted(consumerName, Duration.ofNanos(System.nanoTime() - killed).toMillis()));
      List<String> all = received.get();
      report.addAll(report(all, during, serverName, consumerName));
      assertConsistent(all, serverName, consumerName);
    } finally {
      publisher.shutdownNow();
    }
  }

  /** One transaction of {@link #PER_TRANSACTION} messages; its outcome is recorded. */
  private void run(ServerProcess server, String batch, boolean commit) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < PER_TRANSACTION; i++) {
      bodies.add(batch + "-" + i);
    }
    try {
      server.post(
          "publish/%s/%d/%s".formatted(batch, PER_TRANSACTION, commit ? "commit" : "rollback"));
    } catch (Exception e) {
      // no answer: a commit may or may not have happened; a rollback-only one never commits
      (commit ? inDoubt : rolledBack).addAll(bodies);
      throw e;
    }
    (commit ? committed : rolledBack).addAll(bodies);
  }

  /** Transactions, every third rolled back, until one fails (the server was killed). */
  private int runUntilKilled(ServerProcess server) {
    for (int i = 1; i <= MAX_TRANSACTIONS_WHILE_KILLING; i++) {
      try {
        run(server, "during" + i, i % 3 != 0);
      } catch (Exception e) {
        return i;
      }
    }
    throw new AssertionError("the server answered every transaction: was it killed?");
  }

  private List<String> committedSorted() {
    return sorted(committed);
  }

  /** The report's lines on what the consumer received once the sentinel arrived. */
  private List<String> report(
      List<String> received, int transactions, String server, String consumer) {
    Set<String> distinct = new HashSet<>(received);
    return List.of(
        ("%d transactions after the first ones, the last cut by the kill; in all %d messages"
                + " committed on %s, %d rolled back, %d in doubt (a commit cut by the kill)")
            .formatted(transactions, committed.size(), server, rolledBack.size(), inDoubt.size()),
        ("%s received %d (%d distinct, the sentinel included): %d committed lost, %d from"
                + " rolled-back transactions, %d of the in-doubt, %d never published")
            .formatted(
                consumer,
                received.size(),
                distinct.size(),
                difference(committed, distinct).size(),
                intersection(distinct, rolledBack).size(),
                intersection(distinct, inDoubt).size(),
                unknown(distinct).size()));
  }

  /**
   * Every committed message received, none of a rolled-back transaction, nothing never published
   * (in-doubt ones may or may not arrive), nothing twice.
   */
  private void assertConsistent(List<String> received, String server, String consumer) {
    Set<String> distinct = new HashSet<>(received);
    assertEquals(
        Set.of(),
        difference(committed, distinct),
        "committed on " + server + ", never received by " + consumer);
    assertEquals(
        Set.of(), intersection(distinct, rolledBack), "received from rolled-back transactions");
    assertEquals(Set.of(), unknown(distinct), "received, never published");
    assertEquals(distinct.size(), received.size(), consumer + " received a message twice");
  }

  private Set<String> unknown(Set<String> distinct) {
    return difference(difference(difference(distinct, committed), inDoubt), Set.of(SENTINEL));
  }

  /** A persistent, confirmed publish to the queue through another node, after everything else. */
  private static void publishSentinel(int port) throws Exception {
    try (Connection connection = AdapterProperties.connect("127.0.0.1", port, "guest", "guest")) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.basicPublish(
          "",
          OrderPublisher.QUEUE,
          MessageProperties.PERSISTENT_BASIC,
          SENTINEL.getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
    }
  }

  private static List<String> sorted(Collection<String> values) {
    return values.stream().sorted().toList();
  }

  private static Set<String> difference(Set<String> from, Set<String> minus) {
    return from.stream().filter(value -> !minus.contains(value)).collect(Collectors.toSet());
  }

  private static Set<String> intersection(Set<String> one, Set<String> other) {
    return one.stream().filter(other::contains).collect(Collectors.toSet());
  }
}
