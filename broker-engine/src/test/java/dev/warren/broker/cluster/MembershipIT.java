package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.store.BrokerProcess;
import dev.warren.broker.testsupport.FreePorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node added to a running cluster through the command line's --cluster-add: it catches up with
 * the metadata and serves the cluster's quorum queues; --cluster-remove takes it out again.
 */
class MembershipIT {
  private static final String CLUSTER = "membership-it";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path directory;

  @Test
  void aNodeAddedThroughTheLogCatchesUpAndServesTheQuorumQueues() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.start(directory, CLUSTER, 3)) {
      try (Connection connection = connect(nodes.amqpPort(0))) {
        Channel channel = connection.createChannel();
        channel.queueDeclare("before-join", true, false, false, Map.of("x-queue-type", "quorum"));
        channel.confirmSelect();
        channel.basicPublish("", "before-join", null, "early".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(30_000);
      }
      List<Integer> ports = FreePorts.take(2);
      int raftPort = ports.get(0);
      String newPeer = "node4=127.0.0.1:" + raftPort;
      String links = nodes.links() + ",node4=127.0.0.1:" + ports.get(1);
      Path data = Files.createDirectories(directory.resolve("node4"));
      // the new node waits for the cluster to take it in before it listens
      CompletableFuture<BrokerProcess> joining =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return BrokerProcess.start(
                      data,
                      directory.resolve("node4.log"),
                      "--node-id",
                      "node4",
                      "--cluster-peers",
                      nodes.peers() + "," + newPeer,
                      "--cluster-links",
                      links,
                      "--cluster-name",
                      CLUSTER);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try {
        awaitListening(raftPort); // the leaders can reach the new member once it is up
        String added =
            runCli(
                "--cluster-peers",
                nodes.peers(),
                "--cluster-name",
                CLUSTER,
                "--cluster-add",
                newPeer);
        assertTrue(added.contains("metadata: [node1, node2, node3, node4]"), added);
        BrokerProcess node4 = joining.get(120, TimeUnit.SECONDS);
        try (Connection connection = connect(node4.port())) {
          Channel channel = connection.createChannel();
          assertEquals(1, channel.queueDeclarePassive("before-join").getMessageCount());
          assertEquals(
              "early",
              new String(channel.basicGet("before-join", true).getBody(), StandardCharsets.UTF_8));
        }
        String removed =
            runCli(
                "--cluster-peers",
                nodes.peers(),
                "--cluster-name",
                CLUSTER,
                "--cluster-remove",
                "node4");
        assertTrue(removed.contains("metadata: [node1, node2, node3]"), removed);
      } finally {
        stopWhenStarted(joining); // even after a failure above, it must not outlive the test
      }
      try (Connection connection = connect(nodes.amqpPort(1))) {
        connection.createChannel().queueDeclare("after-leave", true, false, false, null);
      }
    }
  }

  /**
   * Kills the joining node once its start returned (it kills the node itself if it never listens).
   */
  private static void stopWhenStarted(CompletableFuture<BrokerProcess> joining)
      throws InterruptedException {
    try {
      joining.get(90, TimeUnit.SECONDS).kill();
    } catch (ExecutionException | TimeoutException e) {
      // it never started
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("nothing listens on " + port);
  }

  /** Runs the standalone jar's one-shot command and returns what it printed. */
  private String runCli(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.warren.broker.Main");
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile(directory, "cli", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(180, TimeUnit.SECONDS);
    String printed = Files.readString(output);
    if (!finished) {
      process.destroyForcibly();
    }
    assertTrue(finished, "the command did not finish: " + printed);
    assertEquals(0, process.exitValue(), printed);
    return printed;
  }

  private static Connection connect(int port) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setChannelRpcTimeout(30_000);
    return factory.newConnection();
  }
}
