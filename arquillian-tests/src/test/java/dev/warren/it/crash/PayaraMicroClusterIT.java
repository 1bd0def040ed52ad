package dev.warren.it.crash;

import dev.warren.broker.store.BrokerProcess;
import dev.warren.it.crash.clusterapp.OrderConsumer;
import dev.warren.it.crash.clusterapp.OrderPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * on A must still reach B, none of a rolled-back one. Then, A started again, B is killed while its
 * MDB works through messages published on {@code c}: what it had not committed reaches a consumer
 * on {@code c} ({@link ConsumerKill}).
 */
class PayaraMicroClusterIT {
  private static final System.Logger LOG = System.getLogger(PayaraMicroClusterIT.class.getName());

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void anMdbOnBReceivesWhatCommittedOnAAndNothingCommittedIsLostWhenAOrBIsKilled()
      throws Exception {
    ClusterLayout cluster = ClusterLayout.prepare("micro-cluster", 4);
    PayaraMicro a =
        new PayaraMicro(
            cluster.directory("a"),
            cluster.spare().get(0),
            cluster.adapterProperties("a", cluster.spare().get(2)),
            application(false));
    PayaraMicro b =
        new PayaraMicro(
            cluster.directory("b"),
            cluster.spare().get(1),
            cluster.adapterProperties("b", cluster.spare().get(3)),
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
      c = cluster.startStandalone("c");
      long cStarted = System.nanoTime() - started;
      report.add(
          "started at once: A in %d ms, B in %d ms, c in %d ms"
              .formatted(
                  bootA.get(5, TimeUnit.MINUTES).toMillis(),
                  bootB.get(5, TimeUnit.MINUTES).toMillis(),
                  Duration.ofNanos(cStarted).toMillis()));

      new ClusterTransactions()
          .commitRollBackAndKill(a, "A", () -> received(b), "B's MDB", c.port(), report);

      // A again, so that a majority stays once B is killed too
      report.add("A restarted in %d ms".formatted(a.start().toMillis()));
      new ConsumerKill().killMidDelivery(b, () -> received(b), "B", c.port(), report);
    } finally {
      report.forEach(line -> LOG.log(System.Logger.Level.INFO, line));
      Files.write(Path.of("target", "micro-cluster-report.txt"), report);
      background.shutdownNow();
      if (c != null) {
        c.kill();
      }
    }
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

  private static List<String> received(PayaraMicro server) {
    try {
      String body = server.get("received");
      return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
    } catch (Exception e) {
      throw new IllegalStateException("B's application did not answer", e);
    }
  }
}
