package dev.warren.broker.cluster;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.store.BrokerProcess;
import dev.warren.broker.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Standalone brokers forming one cluster on loopback, each a child process with its own data
 * directory and free ports; they start in parallel, since each waits for a majority.
 */
final class ClusterNodes implements AutoCloseable {
  private final Path directory;
  private final String clusterName;
  private final List<String> ids = new ArrayList<>();
  private final List<Integer> raftPorts;
  private final BrokerProcess[] processes;
  private final String[] extraArguments;
  private int restarts;

  private ClusterNodes(Path directory, String clusterName, int size, String[] extraArguments) {
    this.directory = directory;
    this.clusterName = clusterName;
    this.extraArguments = extraArguments;
    this.raftPorts = FreePorts.take(size);
    this.processes = new BrokerProcess[size];
    for (int i = 1; i <= size; i++) {
      ids.add("node" + i);
    }
  }

  /** Starts {@code size} fresh nodes and waits until each listens for AMQP. */
  static ClusterNodes start(Path directory, String clusterName, int size, String... extraArguments)
      throws Exception {
    ClusterNodes nodes = new ClusterNodes(directory, clusterName, size, extraArguments);
    ExecutorService starter = Executors.newFixedThreadPool(size);
    try {
      List<Future<BrokerProcess>> started = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int index = i;
        started.add(starter.submit(() -> nodes.launch(index)));
      }
      for (int i = 0; i < size; i++) {
        nodes.processes[i] = started.get(i).get();
      }
    } catch (Exception e) {
      nodes.close();
      throw e;
    } finally {
      starter.shutdown();
    }
    return nodes;
  }

  private BrokerProcess launch(int index) throws IOException, InterruptedException {
    Path data = directory.resolve(ids.get(index));
    Files.createDirectories(data);
    Path log = directory.resolve(ids.get(index) + "-" + (++restarts) + ".log");
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--node-id",
                ids.get(index),
                "--cluster-peers",
                peers(),
                "--cluster-name",
                clusterName));
    arguments.addAll(List.of(extraArguments));
    return BrokerProcess.start(data, log, arguments.toArray(String[]::new));
  }

  /** The nodes' ids and Raft addresses, as --cluster-peers takes them. */
  String peers() {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      entries.add(ids.get(i) + "=127.0.0.1:" + raftPorts.get(i));
    }
    return entries.stream().collect(Collectors.joining(","));
  }

  /**
   * A Java-client connection to node {@code index}: no recovery, no heartbeats, and RPC timeouts
   * longer than the metadata log's 10 s, which a refused change waits for.
   */
  Connection connect(int index) throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(amqpPort(index));
    factory.setAutomaticRecoveryEnabled(false);
    factory.setRequestedHeartbeat(0);
    factory.setChannelRpcTimeout(30_000);
    return factory.newConnection();
  }

  /** The id of node {@code index}. */
  String id(int index) {
    return ids.get(index);
  }

  /** The log file of node {@code index}'s current process. */
  Path log(int index) {
    return processes[index].log();
  }

  /** The AMQP port of node {@code index} (0-based). */
  int amqpPort(int index) {
    return processes[index].port();
  }

  void stop(int index) throws InterruptedException {
    processes[index].stop();
    processes[index] = null;
  }

  void kill(int index) throws InterruptedException {
    processes[index].kill();
    processes[index] = null;
  }

  /** Starts node {@code index} again on its data directory; a majority must be running. */
  void restart(int index) throws IOException, InterruptedException {
    processes[index] = launch(index);
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = 0; i < processes.length; i++) {
      if (processes[i] != null) {
        processes[i].kill();
        processes[i] = null;
      }
    }
  }
}
