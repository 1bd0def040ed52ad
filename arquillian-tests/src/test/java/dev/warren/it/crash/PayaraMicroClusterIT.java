package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.store.BrokerProcess;
import dev.warren.broker.testsupport.FreePorts;
import dev.warren.it.crash.clusterapp.OrderConsumer;
import dev.warren.it.crash.clusterapp.OrderPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, item 7: a Warren cluster inside the application server. Two Payara Micro instances, A
 * and B, whose adapters are the cluster's nodes {@code a} and {@code b}, and a standalone broker as
 * node {@code c}, each a process of its own (Hazelcast off: membership is the Raft log's). An EJB
 * on A publishes batches to a quorum queue in container-managed transactions that commit or roll
 * back; an MDB on B consumes the queue. B must receive exactly the committed messages; then A is
 * killed (SIGKILL) while it goes on publishing, and every message whose transaction had committed
 * on A must still reach B, none of a rolled-back one.
 */
class PayaraMicroClusterIT {
  private static final System.Logger LOG = System.getLogger(PayaraMicroClusterIT.class.getName());
  private static final String CLUSTER = "micro-cluster";
  private static final int PER_TRANSACTION = 10;
  private static final int COMMITTED_BEFORE_KILL = 4;
  private static final int MAX_TRANSACTIONS_WHILE_KILLING = 500;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String SENTINEL = "sentinel";

  private final Set<String> committed = ConcurrentHashMap.newKeySet();
  private final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
  private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void anMdbOnBReceivesWhatCommittedOnAAndNothingCommittedIsLostWhenAIsKilled() throws Exception {
    Path base = Path.of("target/micro-cluster").toAbsolutePath();
    WildFlyServer.deleteRecursively(base);
    Files.createDirectories(base);
    List<Integer> ports = FreePorts.take(10);
    String peers = addresses(ports.subList(0, 3));
    String links = addresses(ports.subList(3, 6));
    PayaraMicro a =
        new PayaraMicro(
            base.resolve("a"),
            ports.get(6),
            adapter("a", ports.get(8), base.resolve("a"), peers, links),
            application(false));
    PayaraMicro b =
        new PayaraMicro(
            base.resolve("b"),
            ports.get(7),
            adapter("b", ports.get(9), base.resolve("b"), peers, links),
            application(true));
    List<String> report = new ArrayList<>();
    BrokerProcess c = null;
    ExecutorService background = Executors.newFixedThreadPool(2);
    try (a;
        b) {
      // the three start at once, each waiting for a majority (an adapter while its server boots)
      long started = System.nanoTime();
      Future<Duration> bootA = background.submit(a::start);
      Future<Duration> bootB = background.submit(b::start);
      c =
          BrokerProcess.startThrough(
              List.of(),
              "256m",
              ServerProcess.BOOT_TIMEOUT,
              Files.createDirectories(base.resolve("c")),
              base.resolve("c.log"),
              "--node-id",
              "c",
              "--cluster-peers",
              peers,
              "--cluster-links",
              links,
              "--cluster-name",
              CLUSTER);
      long cStarted = System.nanoTime() - started;
      report.add(
          "started at once: A in %d ms, B in %d ms, c in %d ms"
              .formatted(
                  bootA.get(5, TimeUnit.MINUTES).toMillis(),
                  bootB.get(5, TimeUnit.MINUTES).toMillis(),
                  Duration.ofNanos(cStarted).toMillis()));

      // 1. committed and rolled-back transactions on A, received by B's MDB
      transaction(a, "first", true);
      transaction(a, "second", false);
      transaction(a, "third", true);
      await("B's MDB receiving the committed messages", () -> received(b).size() >= 20);
      assertEquals(sorted(committed), sorted(received(b)), "exactly the committed messages");

      // 2. A killed while it publishes
      Future<Integer> publishing = background.submit(() -> publishUntilKilled(a));
      await(
          "transactions committed while publishing",
          () -> committed.size() >= (2 + COMMITTED_BEFORE_KILL) * PER_TRANSACTION);
      long killed = System.nanoTime();
      a.kill();
      int transactions = publishing.get(2, TimeUnit.MINUTES);
      publishSentinel(c.port());
      await("the sentinel published on c after the kill", () -> received(b).contains(SENTINEL));
      long served = System.nanoTime();

      List<String> received = received(b);
      Set<String> distinct = new HashSet<>(received);
      Set<String> lost = difference(committed, distinct);
      Set<String> fromRollbacks = intersection(distinct, rolledBack);
      Set<String> unknown =
          difference(difference(difference(distinct, committed), inDoubt), Set.of(SENTINEL));
      Set<String> inDoubtArrived = intersection(distinct, inDoubt);
      report.add(
          ("%d transactions after the first ones, the last cut by the kill; in all %d messages"
                  + " committed on A, %d rolled back, %d in doubt (a commit cut by the kill)")
              .formatted(transactions, committed.size(), rolledBack.size(), inDoubt.size()));
      report.add(
          ("B received %d (%d distinct, the sentinel included): %d committed lost, %d from"
                  + " rolled-back transactions, %d of the in-doubt, %d never published")
              .formatted(
                  received.size(),
                  distinct.size(),
                  lost.size(),
                  fromRollbacks.size(),
                  inDoubtArrived.size(),
                  unknown.size()));
      report.add(
          "c's sentinel reached B's MDB %d ms after the kill"
              .formatted(Duration.ofNanos(served - killed).toMillis()));
      report.forEach(line -> LOG.log(System.Logger.Level.INFO, line));
      Files.write(Path.of("target", "micro-cluster-report.txt"), report);

      assertEquals(Set.of(), lost, "committed on A, never received by B");
      assertEquals(Set.of(), fromRollbacks, "received from rolled-back transactions");
      assertEquals(Set.of(), unknown, "received, never published");
      assertEquals(distinct.size(), received.size(), "B's MDB received a message twice");
    } finally {
      background.shutdownNow();
      if (c != null) {
        c.kill();
      }
    }
  }

  /** The adapter of node {@code id}: AMQP on loopback, no management listener. */
  private static Map<String, String> adapter(
      String id, int amqpPort, Path directory, String peers, String links) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("warren.port", String.valueOf(amqpPort));
    properties.put("warren.bindAddress", "127.0.0.1");
    properties.put("warren.dataDirectory", directory.resolve("warren-data").toString());
    properties.put("warren.managementPort", "0");
    properties.put("warren.nodeId", id);
    properties.put("warren.clusterPeers", peers);
    properties.put("warren.clusterLinks", links);
    properties.put("warren.clusterName", CLUSTER);
    return properties;
  }

  /** {@code a=127.0.0.1:p1,b=127.0.0.1:p2,c=127.0.0.1:p3}. */
  private static String addresses(List<Integer> ports) {
    return "a=127.0.0.1:%d,b=127.0.0.1:%d,c=127.0.0.1:%d"
        .formatted(ports.get(0), ports.get(1), ports.get(2));
  }

  /** The test application: A's copy without the MDB, so that B's is the queue's only consumer. */
  private static WebArchive application(boolean withConsumer) {
    String glassfishWeb =
        """
        <!DOCTYPE glassfish-web-app PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 Servlet 3.0//EN"
            "http://glassfish.org/dtds/glassfish-web-app_3_0-1.dtd">
        <glassfish-web-app>
          <context-root>/orders</context-root>
          <resource-ref>
            <res-ref-name>warren/ConnectionFactory</res-ref-name>
            <jndi-name>jca/warren/ConnectionFactory</jndi-name>
          </resource-ref>
        </glassfish-web-app>
        """;
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "orders.war")
            .addPackage(OrderPublisher.class.getPackage())
            .addAsWebInfResource(new StringAsset(glassfishWeb), "glassfish-web.xml");
    return withConsumer ? war : war.deleteClass(OrderConsumer.class);
  }

  /** One transaction of {@link #PER_TRANSACTION} messages on A; its outcome is recorded. */
  private void transaction(PayaraMicro server, String batch, boolean commit) throws Exception {
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

  /** Transactions on A, every third rolled back, until one fails (A was killed). */
  private int publishUntilKilled(PayaraMicro server) {
    for (int i = 1; i <= MAX_TRANSACTIONS_WHILE_KILLING; i++) {
      try {
        transaction(server, "during" + i, i % 3 != 0);
      } catch (Exception e) {
        return i;
      }
    }
    throw new AssertionError("A answered every transaction: was it killed?");
  }

  /** A persistent, confirmed publish to the queue through node c, after everything from A. */
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

  private static List<String> received(PayaraMicro server) {
    try {
      String body = server.get("received");
      return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
    } catch (Exception e) {
      throw new IllegalStateException("B's application did not answer", e);
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

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }
}
