package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.testsupport.HostCommands;
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
 * redelivered. As root, every other cycle cuts a node off instead (the queue's leader, or one at
 * random) and heals the partition. Three cycles in every build; {@code
 * -Dwarren.cluster.faultCycles=N} runs N (and {@code -Dwarren.cluster.faultSeed} repeats a run's
 * choice of nodes).
 */
class FaultCyclesIT {
  private static final System.Logger LOG = System.getLogger(FaultCyclesIT.class.getName());
  private static final String QUEUE = "cycled";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path directory;

  /** One kind of fault a cycle makes. */
  private enum Fault {
    KILL_CONSUMERS_NODE("kill -9 of the consumer's node"),
    ISOLATE_LEADER("partition: the queue's leader cut off"),
    KILL_LEADER("kill -9 of the queue's leader"),
    ISOLATE_ANY("partition: a node at random cut off"),
    KILL_ANY("kill -9 of a node at random");

    final String description;

    Fault(String description) {
      this.description = description;
    }

    boolean partition() {
      return this == ISOLATE_LEADER || this == ISOLATE_ANY;
    }
  }

  @Test
  void faultCyclesLoseNoConfirmedMessageAndFlagEveryRedelivery() throws Exception {
    int cycles = Integer.getInteger("warren.cluster.faultCycles", 3);
    long seed = Long.getLong("warren.cluster.faultSeed", System.nanoTime());
    Random random = new Random(seed);
    // Partitions need network namespaces, hence root (CI has it); without, every cycle is a kill.
    // -Dwarren.cluster.faultPartitions=false leaves them out as root too.
    boolean partitions =
        HostCommands.isRoot()
            && Boolean.parseBoolean(System.getProperty("warren.cluster.faultPartitions", "true"));
    NodeNetwork network = partitions ? NetworkNamespaces.create(3) : NodeNetwork.loopback();
    try (ClusterNodes nodes =
        ClusterNodes.start(network, directory, "cycles-it", 3, "--cluster-quorum-shards", "1")) {
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
              new HistoryPublisher(history, QUEUE, () -> connect(nodes, random), ids).start();
          HistoryPublisher second =
              new HistoryPublisher(history, QUEUE, () -> connect(nodes, random), ids).start()) {
        awaitConfirmed(history, 100);
        for (int cycle = 0; cycle < cycles; cycle++) {
          Fault fault = Fault.values()[cycle % Fault.values().length];
          if (fault.partition() && !partitions) {
            fault = Fault.KILL_ANY;
          }
          int victim =
              switch (fault) {
                case KILL_CONSUMERS_NODE -> nodes.indexOfPort(consumer.port());
                case ISOLATE_LEADER, KILL_LEADER -> nodes.leaderOf("quorum-0");
                case ISOLATE_ANY, KILL_ANY -> random.nextInt(3);
              };
          LOG.log(System.Logger.Level.INFO, "cycle {0}: {1}", cycle, fault.description);
          history.fault();
          if (fault.partition()) {
            nodes.isolate(victim);
          } else {
            nodes.kill(victim);
          }
          awaitConfirmed(history, history.confirmedCount() + 100);
          long failover = history.millisToFirstConfirmAfterFault();
          long ending = System.nanoTime();
          if (fault.partition()) {
            nodes.heal();
          } else {
            nodes.restart(victim);
          }
          long ended = (System.nanoTime() - ending) / 1_000_000;
          awaitConfirmed(history, history.confirmedCount() + 50);
          figures.add(
              String.format(
                  "cycle %d: %s (%s), first confirm of a new message after %d ms%s",
                  cycle,
                  fault.description,
                  nodes.id(victim),
                  failover,
                  fault.partition() ? "" : ", restarted in " + ended + " ms"));
        }
        first.close();
        second.close();
        long drain;
        try {
          drain =
              Deadline.await(
                  WAIT, "every confirmed message delivered", history::allConfirmedDelivered);
        } catch (AssertionError notAll) {
          throw new AssertionError(
              notAll.getMessage()
                  + " after "
                  + figures
                  + "; consumer recovered "
                  + consumer.recoveries()
                  + " times; "
                  + history.check()
                  + "; first undelivered "
                  + history.check().lost().stream().limit(20).toList(),
              notAll);
        }
        figures.add("the consumer had every confirmed message " + drain + " ms after the end");
        History.Verdict verdict = history.check();
        LOG.log(
            System.Logger.Level.INFO,
            "{0} fault cycles (seed {1}): {2}; consumer recovered {3} times, cancelled {4}; {5}",
            cycles,
            seed,
            figures,
            consumer.recoveries(),
            consumer.cancellations(),
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

  /** A publisher's connection: the cluster's address list, in an order of its own each time. */
  private static Connection connect(ClusterNodes nodes, Random random) throws Exception {
    List<Address> addresses = new ArrayList<>(Arrays.asList(nodes.addresses()));
    synchronized (random) {
      Collections.shuffle(addresses, random);
    }
    ConnectionFactory factory = new ConnectionFactory();
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5000);
    factory.setChannelRpcTimeout(30_000);
    return factory.newConnection(addresses);
  }
}
