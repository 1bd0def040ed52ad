package dev.warren.it.crash;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.warren.broker.store.BrokerProcess;
import dev.warren.it.WildFlyPorts;
import dev.warren.it.crash.clusterapp.OrderConsumer;
import dev.warren.it.crash.clusterapp.OrderPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * Issue 13 item 1 on WildFly: the adapter inside WildFly is cluster node {@code a} (set through the
 * ironjacamar.xml expressions, {@code -Dwarren.nodeId=a} and so on), beside two standalone brokers
 * {@code b} and {@code c}. An EJB on WildFly publishes batches to a quorum queue in
 * container-managed transactions that commit or roll back; a Java client consuming on node b gets
 * exactly the committed ones. Then WildFly is killed (SIGKILL) while it publishes: every message of
 * a committed transaction still reaches b's consumer, none of a rolled-back one.
 */
class WildFlyClusterNodeIT {
  private static final System.Logger LOG = System.getLogger(WildFlyClusterNodeIT.class.getName());
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void whatCommitsOnWildFlyReachesAConsumerOnAnotherNodeAndSurvivesAKill() throws Exception {
    ClusterLayout cluster = ClusterLayout.prepare("wildfly-cluster", 1);
    List<String> report = new ArrayList<>();
    ExecutorService background = Executors.newFixedThreadPool(1);
    BrokerProcess b = null;
    BrokerProcess c = null;
    try (WildFlyServer a =
        new WildFlyServer(
            Path.of(System.getProperty("wildfly.home")),
            cluster.directory("a"),
            "standalone-full.xml",
            WildFlyPorts.freeOffset())) {
      a.install(Path.of("target/deps/warren-rar.rar"), application());
      a.systemProperty("ejb.resource-adapter-name", "warren-rar.rar");
      cluster.adapterProperties("a", cluster.spare().get(0)).forEach(a::systemProperty);

      // b and c are a majority: they start first, WildFly's adapter then joins them
      Future<BrokerProcess> startB = background.submit(() -> cluster.startStandalone("b"));
      c = cluster.startStandalone("c");
      b = startB.get(5, TimeUnit.MINUTES);
      report.add("WildFly started in %d ms".formatted(a.start().toMillis()));

      try (Connection onB = AdapterProperties.connect("127.0.0.1", b.port(), "guest", "guest")) {
        consume(onB.createChannel());

        new ClusterTransactions()
            .commitRollBackAndKill(a, "WildFly", this::snapshot, "b's consumer", c.port(), report);
      }
    } finally {
      report.forEach(line -> LOG.log(System.Logger.Level.INFO, line));
      Files.write(Path.of("target", "wildfly-cluster-report.txt"), report);
      background.shutdownNow();
      for (BrokerProcess node : new BrokerProcess[] {b, c}) {
        if (node != null) {
          node.kill();
        }
      }
    }
  }

  /** Records every message of the quorum queue, acked one by one after it is recorded. */
  private void consume(Channel channel) throws IOException {
    channel.queueDeclare(
        OrderPublisher.QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
    channel.basicQos(50);
    channel.basicConsume(
        OrderPublisher.QUEUE,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            received.add(new String(body, StandardCharsets.UTF_8));
            getChannel().basicAck(envelope.getDeliveryTag(), false);
          }
        });
  }

  private List<String> snapshot() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /**
   * The cluster application without its MDB (b's client is the queue's consumer), under the context
   * root {@link WildFlyServer#api()} expects.
   */
  private static WebArchive application() {
    String jbossWeb =
        """
        <jboss-web>
          <context-root>/crash</context-root>
          <resource-ref>
            <res-ref-name>warren/ConnectionFactory</res-ref-name>
            <jndi-name>java:/eis/warren/ConnectionFactory</jndi-name>
          </resource-ref>
        </jboss-web>
        """;
    return ShrinkWrap.create(WebArchive.class, "crash.war")
        .addPackage(OrderPublisher.class.getPackage())
        .deleteClass(OrderConsumer.class)
        .addAsWebInfResource(new StringAsset(jbossWeb), "jboss-web.xml")
        .setManifest(
            new StringAsset("Manifest-Version: 1.0\nDependencies: deployment.warren-rar.rar\n"));
  }
}
