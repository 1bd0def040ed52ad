package dev.warren.broker;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.cluster.raft.RaftMembership;
import dev.warren.broker.engine.BrokerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line options that make the broker a cluster node (see {@link Main}). They are
 * gathered first and checked together: a node needs both its id and the peer list.
 */
final class ClusterOptions {

  static final Set<String> WITH_VALUE =
      Set.of(
          "--node-id",
          "--cluster-peers",
          "--cluster-port",
          "--cluster-name",
          "--cluster-quorum-shards",
          "--cluster-links");

  static final String USAGE =
      """
        --node-id ID                this node's stable id in its cluster (letters, digits, . _ -)
        --cluster-peers ID=HOST:PORT,...
                                    every node's id and Raft address, this one's included; the same
                                    list on every node (a fresh set of nodes forms the cluster)
        --cluster-port N            Raft port of this node (default: the port of its own entry)
        --cluster-name NAME         the cluster's name (default warren), sent to clients as
                                    cluster_name
        --cluster-quorum-shards N   logs the quorum queues are spread over (default 4); the same
                                    on every node, fixed when the cluster is created
        --cluster-links ID=HOST:PORT,...
                                    every node's address for forwarding to its classic queues,
                                    the same list on every node (default: each Raft host and
                                    Raft port + 10000)
        --cluster-add ID=HOST:PORT  (then exits) adds a started node to the running cluster that
                                    --cluster-peers reaches, through every log of the cluster
        --cluster-remove ID         (then exits) removes a node from that cluster
      """;

  static final Set<String> MEMBERSHIP = Set.of("--cluster-add", "--cluster-remove");

  private final Map<String, String> values = new HashMap<>();

  /** Whether the command line asks for a membership change rather than a broker. */
  static boolean changesMembership(String[] args) {
    for (String arg : args) {
      if (MEMBERSHIP.contains(arg)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds or removes a node through the cluster's logs and returns what each log's members are now.
   *
   * @throws IllegalArgumentException on a bad command line
   */
  static List<String> changeMembership(String[] args) throws IOException {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      given.put(args[i], args[i + 1]);
    }
    String peers = given.get("--cluster-peers");
    if (peers == null) {
      throw new IllegalArgumentException(
          "--cluster-add and --cluster-remove need --cluster-peers: members to reach the cluster");
    }
    int shards =
        given.containsKey("--cluster-quorum-shards")
            ? Integer.parseInt(given.get("--cluster-quorum-shards").trim())
            : ClusterConfig.DEFAULT_QUORUM_SHARDS;
    List<String> logs = new ArrayList<>(List.of("metadata"));
    for (int i = 0; i < shards; i++) {
      logs.add("quorum-" + i);
    }
    String add = given.get("--cluster-add");
    return RaftMembership.change(
        given.getOrDefault("--cluster-name", ClusterConfig.DEFAULT_NAME),
        List.copyOf(ClusterConfig.parsePeers(peers).values()),
        logs,
        add == null ? null : ClusterConfig.parsePeer(add),
        given.get("--cluster-remove"));
  }

  void set(String option, String value) {
    values.put(option, value);
  }

  /** The configuration with the node's cluster, if any cluster option was given. */
  BrokerConfig applyTo(BrokerConfig config) {
    if (values.isEmpty()) {
      return config;
    }
    String nodeId = values.get("--node-id");
    String peers = values.get("--cluster-peers");
    if (nodeId == null || peers == null) {
      throw new IllegalArgumentException("a cluster node needs both --node-id and --cluster-peers");
    }
    int port = -1;
    if (values.containsKey("--cluster-port")) {
      port = Main.port("--cluster-port", values.get("--cluster-port"));
    }
    int shards = ClusterConfig.DEFAULT_QUORUM_SHARDS;
    String shardValue = values.get("--cluster-quorum-shards");
    if (shardValue != null) {
      try {
        shards = Integer.parseInt(shardValue.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--cluster-quorum-shards needs a number, not " + shardValue, e);
      }
    }
    return config.withCluster(
        ClusterConfig.of(
            nodeId,
            peers,
            port,
            values.get("--cluster-name"),
            shards,
            values.get("--cluster-links")));
  }
}
