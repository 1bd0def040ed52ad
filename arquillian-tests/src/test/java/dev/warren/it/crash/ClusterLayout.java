package dev.warren.it.crash;

import dev.warren.broker.store.BrokerProcess;
import dev.warren.broker.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A three-node cluster (nodes a, b and c) laid out on this machine for a test: an empty directory
 * under {@code target/} named after the cluster, free Raft and link ports on loopback, and as many
 * further free ports as the test asks for.
 *
 * @param name the cluster's name and its directory's
 * @param peers the Raft addresses, as {@code --cluster-peers} takes them
 * @param links the forwarding links' addresses, as {@code --cluster-links} takes them
 * @param spare the further ports, for the test's own listeners
 */
record ClusterLayout(String name, Path base, String peers, String links, List<Integer> spare) {
  static ClusterLayout prepare(String name, int sparePorts) throws IOException {
    Path base = Path.of("target", name).toAbsolutePath();
    WildFlyServer.deleteRecursively(base);
    Files.createDirectories(base);
    List<Integer> ports = FreePorts.take(6 + sparePorts);
    return new ClusterLayout(
        name,
        base,
        addresses(ports.subList(0, 3)),
        addresses(ports.subList(3, 6)),
        List.copyOf(ports.subList(6, ports.size())));
  }

  /** {@code a=127.0.0.1:p1,b=127.0.0.1:p2,c=127.0.0.1:p3}. */
  private static String addresses(List<Integer> ports) {
    return "a=127.0.0.1:%d,b=127.0.0.1:%d,c=127.0.0.1:%d"
        .formatted(ports.get(0), ports.get(1), ports.get(2));
  }

  Path directory(String node) {
    return base.resolve(node);
  }

  /**
   * The adapter properties (as {@code warren.*} system properties) that make a server's embedded
   * broker node {@code node}: AMQP on loopback at {@code amqpPort}, no management listener.
   */
  Map<String, String> adapterProperties(String node, int amqpPort) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("warren.port", String.valueOf(amqpPort));
    properties.put("warren.bindAddress", "127.0.0.1");
    properties.put("warren.dataDirectory", directory(node).resolve("warren-data").toString());
    properties.put("warren.managementPort", "0");
    properties.put("warren.nodeId", node);
    properties.put("warren.clusterPeers", peers);
    properties.put("warren.clusterLinks", links);
    properties.put("warren.clusterName", name);
    return properties;
  }

  /** Node {@code node} as a standalone broker process, once it listens. */
  BrokerProcess startStandalone(String node) throws IOException, InterruptedException {
    return BrokerProcess.startThrough(
        List.of(),
        "256m",
        ServerProcess.BOOT_TIMEOUT,
        Files.createDirectories(directory(node)),
        base.resolve(node + ".log"),
        "--node-id",
        node,
        "--cluster-peers",
        peers,
        "--cluster-links",
        links,
        "--cluster-name",
        name);
  }
}
