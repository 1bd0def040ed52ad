package dev.warren.broker.cluster;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.store.BrokerProcess;
import dev.warren.broker.testsupport.FreePorts;
import dev.warren.broker.testsupport.ManagementClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Standalone brokers forming one cluster, each a child process with its own data directory and free
 * ports, on loopback or in network namespaces of their own ({@link NodeNetwork}); they start in
 * parallel, since each waits for a majority.
 */
final class ClusterNodes implements AutoCloseable {
  private static final Duration NODE_START_TIMEOUT = Duration.ofMinutes(3);

  private final NodeNetwork network;
  private final Path directory;
  private final String clusterName;
  private final List<String> ids = new ArrayList<>();
  private final List<Integer> raftPorts;
  private final List<Integer> amqpPorts;
  private final List<Integer> managementPorts;
  private final List<Integer> linkPorts;
  private final BrokerProcess[] processes;
  private final String[] extraArguments;
  private int restarts;

  private ClusterNodes(
      NodeNetwork network, Path directory, String clusterName, int size, String[] extraArguments) {
    this.network = network;
    this.directory = directory;
    this.clusterName = clusterName;
    this.extraArguments = extraArguments;
    List<Integer> ports = FreePorts.take(4 * size);
    this.raftPorts = ports.subList(0, size);
    // fixed across restarts, as a client's address list expects
    this.amqpPorts = ports.subList(size, 2 * size);
    this.managementPorts = ports.subList(2 * size, 3 * size);
    this.linkPorts = ports.subList(3 * size, 4 * size);
    this.processes = new BrokerProcess[size];
    for (int i = 1; i <= size; i++) {
      ids.add("node" + i);
    }
  }

  /** Starts {@code size} fresh nodes and waits until each listens for AMQP. */
  static ClusterNodes start(Path directory, String clusterName, int size, String... extraArguments)
      throws Exception {
    return start(NodeNetwork.loopback(), directory, clusterName, size, extraArguments);
  }

  /** Like {@link #start(Path, String, int, String...)}, the nodes on {@code network} (owned). */
  static ClusterNodes start(
      NodeNetwork network, Path directory, String clusterName, int size, String... extraArguments)
      throws Exception {
    ClusterNodes nodes = new ClusterNodes(network, directory, clusterName, size, extraArguments);
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
                "--cluster-links",
                links(),
                "--cluster-name",
                clusterName,
                "--bind",
                network.address(index),
                "--port",
                String.valueOf(amqpPorts.get(index)),
                "--management-port",
                String.valueOf(managementPorts.get(index)),
                "--management-bind",
                network.address(index)));
    arguments.addAll(network.brokerArguments());
    arguments.addAll(List.of(extraArguments));
    // a node listens once a majority has joined: on a loaded machine three JVMs starting at once
    // took more than a minute (a gate run saw a cluster of three miss the 60 s of a single broker)
    return BrokerProcess.startThrough(
        network.launcher(index),
        "256m",
        NODE_START_TIMEOUT,
        data,
        log,
        arguments.toArray(String[]::new));
  }

  /** The nodes' ids and Raft addresses, as --cluster-peers takes them. */
  String peers() {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      entries.add(ids.get(i) + "=" + network.address(i) + ":" + raftPorts.get(i));
    }
    return entries.stream().collect(Collectors.joining(","));
  }

  /** The nodes' forwarding link addresses, as --cluster-links takes them. */
  String links() {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      entries.add(ids.get(i) + "=" + network.address(i) + ":" + linkPorts.get(i));
    }
    return String.join(",", entries);
  }

  /**
   * A Java-client connection to node {@code index}: no recovery, no heartbeats, and RPC timeouts
   * longer than the metadata log's 10 s, which a refused change waits for.
   */
  Connection connect(int index) throws IOException, TimeoutException {
    return factory(index).newConnection();
  }

  /** How {@link #connect} connects to node {@code index}, to log in as another user or vhost. */
  ConnectionFactory factory(int index) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(network.address(index));
    factory.setPort(amqpPort(index));
    factory.setAutomaticRecoveryEnabled(false);
    factory.setRequestedHeartbeat(0);
    factory.setChannelRpcTimeout(30_000);
    return factory;
  }

  /** The management API of node {@code index}, as the default user. */
  ManagementClient management(int index) {
    return new ManagementClient(network.address(index), managementPort(index), "guest", "guest");
  }

  /** The address node {@code index} listens on. */
  String address(int index) {
    return network.address(index);
  }

  /** Cuts node {@code index} off from the others (its clients still reach it). */
  void isolate(int index) throws Exception {
    network.isolate(index);
  }

  /** Ends every isolation. */
  void heal() throws Exception {
    network.heal();
  }

  /**
   * The node that leads the log {@code logName} (as quorum-0) now, by the leader lines the running
   * nodes logged: the latest line of the first node that logged one.
   */
  int leaderOf(String logName) throws IOException, InterruptedException {
    Pattern line = Pattern.compile("Cluster log " + logName + ": the leader is now (\\S+)");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < processes.length; i++) {
        if (processes[i] == null) {
          continue;
        }
        Matcher matcher = line.matcher(Files.readString(processes[i].log()));
        String leader = null;
        while (matcher.find()) {
          leader = matcher.group(1);
        }
        if (leader != null && ids.contains(leader)) {
          return ids.indexOf(leader);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no node logged a leader of " + logName);
  }

  /** The id of node {@code index}. */
  String id(int index) {
    return ids.get(index);
  }

  /** The log file of node {@code index}'s current process. */
  Path log(int index) {
    return processes[index].log();
  }

  /** The AMQP port of node {@code index} (0-based; the same across its restarts). */
  int amqpPort(int index) {
    return amqpPorts.get(index);
  }

  /** The management API's port of node {@code index}. */
  int managementPort(int index) {
    return managementPorts.get(index);
  }

  /** Every node's AMQP address, running or not, as a client's address list. */
  Address[] addresses() {
    Address[] addresses = new Address[ids.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = new Address(network.address(i), amqpPorts.get(i));
    }
    return addresses;
  }

  /** The index of the node listening on {@code port}. */
  int indexOfPort(int port) {
    return amqpPorts.indexOf(port);
  }

  void stop(int index) throws InterruptedException {
    processes[index].stop();
    processes[index] = null;
  }

  void kill(int index) throws InterruptedException {
    processes[index].kill();
    processes[index] = null;
  }

  /** Deletes the data directory of node {@code index}, which must be stopped. */
  void wipe(int index) throws IOException {
    try (Stream<Path> files = Files.walk(directory.resolve(ids.get(index)))) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** Starts node {@code index} again on its data directory; a majority must be running. */
  void restart(int index) throws IOException, InterruptedException {
    processes[index] = launch(index);
  }

  /** Kills what still runs, then removes the network. */
  @Override
  public void close() throws Exception {
    for (int i = 0; i < processes.length; i++) {
      if (processes[i] != null) {
        processes[i].kill();
        processes[i] = null;
      }
    }
    network.close();
  }
}
