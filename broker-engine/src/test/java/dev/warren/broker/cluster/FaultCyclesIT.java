package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault cycles under load, checked as a history (Jepsen's way): two publishers with confirms and an
 * acking consumer on a quorum queue, every client a RabbitMQ Java client with the cluster's address
 * list, the consumer with automatic recovery; each cycle kills -9 one node (the consumer's node,
 * the leader of the queue's log, or one at random), waits until the others confirm again, and
 * restarts it. Afterwards: every confirmed message was delivered, nothing was delivered that was
 * never published, and a message delivered again after an unacknowledged delivery was flagged
 * redelivered. Three cycles in every build; {@code -Dwarren.cluster.faultCycles=N} runs N (and
 * {@code -Dwarren.cluster.faultSeed} repeats a run's choice of nodes).
 */
class FaultCyclesIT {
  private static final System.Logger LOG = System.getLogger(FaultCyclesIT.class.getName());
  private static final String QUEUE = "cycled";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path directory;

  @Test
  void killCyclesLoseNoConfirmedMessageAndFlagEveryRedelivery() throws Exception {
    int cycles = Integer.getInteger("warren.cluster.faultCycles", 3);
    long seed = Long.getLong("warren.cluster.faultSeed", System.nanoTime());
    Random random = new Random(seed);
    try (ClusterNodes nodes =
        ClusterNodes.start(directory, "cycles-it", 3, "--cluster-quorum-shards", "1")) {
      try (Connection connection = nodes.connect(0)) {
        connection
            .createChannel()
            .queueDeclare(QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
      }
      History history = new History();
      AtomicLong ids = new AtomicLong();
      List<String> figures = new ArrayList<>();
      try (HistoryConsumer consumer = HistoryConsumer.start(history, QUEUE, nodes.addresses());
          HistoryPublisher first =
              new HistoryPublisher(history, QUEUE, () -> connect(nodes, 0), ids).start();
          HistoryPublisher second =
              new HistoryPublisher(history, QUEUE, () -> connect(nodes, 1), ids).start()) {
        awaitConfirmed(history, 100);
        for (int cycle = 0; cycle < cycles; cycle++) {
          String kind;
          int victim;
          switch (cycle % 3) {
            case 0 -> {
              kind = "the consumer's node";
              victim = nodes.indexOfPort(consumer.port());
            }
            case 1 -> {
              kind = "the queue's leader";
              victim = nodes.leaderOf("quorum-0");
            }
            default -> {
              kind = "a node at random";
              victim = random.nextInt(3);
            }
          }
          LOG.log(System.Logger.Level.INFO, "cycle {0}: killing {1}", cycle, nodes.id(victim));
          history.fault();
          nodes.kill(victim);
          awaitConfirmed(history, history.confirmedCount() + 100);
          long failover = history.millisToFirstConfirmAfterFault();
          long restarting = System.nanoTime();
          nodes.restart(victim);
          long restart = (System.nanoTime() - restarting) / 1_000_000;
          awaitConfirmed(history, history.confirmedCount() + 50);
          figures.add(
              "cycle "
                  + cycle
                  + ": kill -9 of "
                  + kind
                  + " ("
                  + nodes.id(victim)
                  + "), first confirm of a new message after "
                  + failover
                  + " ms, restarted in "
                  + restart
                  + " ms");
        }
        first.close();
        second.close();
        Deadline.await(WAIT, "every confirmed message delivered", history::allConfirmedDelivered);
        History.Verdict verdict = history.check();
        LOG.log(
            System.Logger.Level.INFO,
            "{0} kill cycles (seed {1}): {2}; consumer recovered {3} times; {4}",
            cycles,
            seed,
            figures,
            consumer.recoveries(),
            verdict);
        assertEquals(Arrays.asList(), List.copyOf(verdict.lost()), "confirmed, never delivered");
        assertEquals(Arrays.asList(), List.copyOf(verdict.unknown()), "delivered, never published");
        assertEquals(
            Arrays.asList(),
            List.copyOf(verdict.unflaggedRedeliveries()),
            "delivered again without the redelivered flag");
        assertTrue(consumer.recoveries() >= 1, "the consumer moved to another node");
      }
    }
  }

  private static void awaitConfirmed(History history, int count) throws Exception {
    Deadline.await(WAIT, count + " messages confirmed", () -> history.confirmedCount() >= count);
  }

  /** A publisher's connection: the address list, starting with node {@code first}. */
  private static Connection connect(ClusterNodes nodes, int first) throws Exception {
    List<Address> addresses = new ArrayList<>(Arrays.asList(nodes.addresses()));
    Collections.rotate(addresses, -first);
    ConnectionFactory factory = new ConnectionFactory();
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5000);
    factory.setChannelRpcTimeout(30_000);
    return factory.newConnection(addresses);
  }
}
