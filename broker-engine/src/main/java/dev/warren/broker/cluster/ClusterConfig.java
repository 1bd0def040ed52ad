package dev.warren.broker.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A node's place in a cluster. Every node of a cluster is started with the same peer list and the
 * same cluster name; a fresh set of nodes forms the cluster by itself.
 *
 * @param nodeId this node's stable name (never derived from an address, so a node may move)
 * @param peers every node's Raft address, by node id, in the order given; includes this node
 * @param port the port this node's Raft server listens on (its own peer entry's port by default)
 * @param name the cluster's name, sent to clients as {@code cluster_name}; it also names the
 *     cluster's Raft groups, so two clusters on one network never mix
 * @param quorumShards the number of logs the quorum queues are spread over: the same on every node,
 *     and never changed once the cluster exists (a queue's shard is a hash of its name)
 * @param links every node's forwarding link address, by node id (see {@link #LINK_PORT_OFFSET})
 */
public record ClusterConfig(
    String nodeId,
    Map<String, Peer> peers,
    int port,
    String name,
    int quorumShards,
    Map<String, Peer> links) {

  /**
   * Without --cluster-links a node's link listens on its Raft port plus this, on its Raft host
   * (RabbitMQ puts its inter-node port at the AMQP port plus 20000 the same way).
   */
  public static final int LINK_PORT_OFFSET = 10000;

  public static final String DEFAULT_NAME = "warren";

  /** Shard logs of the quorum queues (see docs/cluster.md for the measurements). */
  public static final int DEFAULT_QUORUM_SHARDS = 4;

  /** Node ids name files and Raft peers: letters, digits, '.', '_' and '-'. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** A node's Raft address. */
  public record Peer(String id, String host, int port) {
    public String address() {
      return host + ":" + port;
    }
  }

  public ClusterConfig {
    checkNodeId(nodeId);
    peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    if (!peers.containsKey(nodeId)) {
      throw new IllegalArgumentException(
          "node " + nodeId + " is not in the peer list " + peers.keySet());
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("cluster port must be from 0 to 65535, not " + port);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the cluster name must not be empty");
    }
    if (quorumShards < 1 || quorumShards > 256) {
      throw new IllegalArgumentException(
          "quorum shards must be from 1 to 256, not " + quorumShards);
    }
    links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
    if (!links.keySet().equals(peers.keySet())) {
      throw new IllegalArgumentException(
          "--cluster-links must name the nodes of --cluster-peers "
              + peers.keySet()
              + ", not "
              + links.keySet());
    }
  }

  /**
   * Builds the configuration from the command line's values.
   *
   * @param peerList {@code id1=host:port,id2=host:port,...}
   * @param port this node's Raft port, or -1 for its own entry's
   * @param linkList {@code id1=host:port,...}: every node's forwarding link, or null for each Raft
   *     address's host and port plus {@link #LINK_PORT_OFFSET}
   */
  public static ClusterConfig of(
      String nodeId, String peerList, int port, String name, int quorumShards, String linkList) {
    Map<String, Peer> peers = parsePeers(peerList);
    Map<String, Peer> links = new LinkedHashMap<>();
    if (linkList == null) {
      for (Peer peer : peers.values()) {
        int linkPort = peer.port() + LINK_PORT_OFFSET;
        if (linkPort > 65535) {
          throw new IllegalArgumentException(
              "give --cluster-links: the Raft port of "
                  + peer.id()
                  + " plus "
                  + LINK_PORT_OFFSET
                  + " is no port");
        }
        links.put(peer.id(), new Peer(peer.id(), peer.host(), linkPort));
      }
    } else {
      links = parsePeers(linkList);
    }
    checkNodeId(nodeId);
    Peer self = peers.get(nodeId);
    if (self == null) {
      throw new IllegalArgumentException(
          "--node-id " + nodeId + " is not one of --cluster-peers " + peers.keySet());
    }
    return new ClusterConfig(
        nodeId,
        peers,
        port < 0 ? self.port() : port,
        name == null ? DEFAULT_NAME : name,
        quorumShards,
        links);
  }

  /** Parses {@code id1=host:port,id2=host:port,...}, keeping the order. */
  public static Map<String, Peer> parsePeers(String peerList) {
    Map<String, Peer> peers = new LinkedHashMap<>();
    for (String entry : peerList.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      Peer peer = parsePeer(trimmed);
      if (peers.put(peer.id(), peer) != null) {
        throw new IllegalArgumentException("node " + peer.id() + " is listed twice");
      }
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("the peer list is empty");
    }
    return peers;
  }

  /** Parses one {@code id=host:port}. */
  public static Peer parsePeer(String entry) {
    int equals = entry.indexOf('=');
    int colon = entry.lastIndexOf(':');
    if (equals <= 0 || colon < equals + 2 || colon == entry.length() - 1) {
      throw new IllegalArgumentException("expected id=host:port, not '" + entry + "'");
    }
    String id = entry.substring(0, equals);
    checkNodeId(id);
    int port;
    try {
      port = Integer.parseInt(entry.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + entry + "'", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + entry + "'");
    }
    return new Peer(id, entry.substring(equals + 1, colon), port);
  }

  private static void checkNodeId(String id) {
    if (id == null || !NODE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "a node id is 1 to 64 letters, digits, '.', '_' or '-', not '" + id + "'");
    }
  }

  public Peer self() {
    return peers.get(nodeId);
  }

  /** The peers in the order they were given. */
  public List<Peer> peerList() {
    return List.copyOf(peers.values());
  }
}
