package dev.warren.broker.cluster;

import dev.warren.broker.cluster.raft.RaftGroupLog;
import dev.warren.broker.cluster.raft.RaftNode;
import dev.warren.broker.engine.DefinitionChanges;
import dev.warren.broker.engine.TopologyChanges;
import dev.warren.broker.engine.api.ClusterStatus;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.VirtualHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A broker's membership of a cluster: the replicated metadata (users, virtual hosts, permissions,
 * parameters and policies, and the exchanges, queues and bindings of every virtual host, decided by
 * the metadata log) and the view of the members. The engine starts it between opening the store and
 * recovering its messages, so that a node's durable queues exist again, as the cluster now has
 * them, before their messages are put back.
 */
public final class Clustering implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Clustering.class.getName());

  /** How long a starting node waits for a majority before giving up (RabbitMQ: 10 x 30 s). */
  static final Duration JOIN_TIMEOUT = Duration.ofMinutes(5);

  /** The least time between two barriers while a starting node waits for a majority. */
  private static final Duration BARRIER_PAUSE = Duration.ofSeconds(1);

  private static final String METADATA = "metadata";

  private final ClusterConfig config;
  private final TopologyRecords records;
  private ReplicatedTopology topology;
  private ReplicatedDefinitions definitions;
  private RaftNode raft;
  private MetadataLog log;
  private final List<MetadataLog> logs = new ArrayList<>();
  private final List<Runnable> onClose = new ArrayList<>();

  private Clustering(ClusterConfig config, Persistence store) {
    this.config = config;
    this.records = new TopologyRecords(store);
  }

  /** The first step: the persistence the node's virtual hosts must be built with. */
  public static Clustering prepare(ClusterConfig config, Persistence store) {
    return new Clustering(config, store);
  }

  public ClusterConfig config() {
    return config;
  }

  /** The store underneath, with the replicated topology recorded for snapshots. */
  public Persistence persistence() {
    return records;
  }

  /**
   * Starts the node's member of the metadata log and of every other log in {@code otherLogs} (the
   * quorum queues' shards): each replays its snapshot and log, the metadata log into the node's
   * definitions and virtual hosts. Then waits until the node has applied everything the cluster
   * committed to the metadata.
   *
   * @param nodeDefinitions the node's users, vhosts, permissions and policies, empty until the log
   *     fills them
   * @return the topology changes that every channel of the node must go through from now on
   * @throws IllegalStateException if no majority answers within {@link #JOIN_TIMEOUT}
   */
  public TopologyChanges join(
      String bindAddress,
      Path dataDirectory,
      Function<String, VirtualHost> hosts,
      DefinitionsReplica nodeDefinitions,
      Map<String, ReplicatedState> otherLogs) {
    topology = new ReplicatedTopology(config.nodeId(), hosts, records);
    definitions = new ReplicatedDefinitions(config.nodeId(), nodeDefinitions);
    Map<String, ReplicatedState> states = new LinkedHashMap<>();
    states.put(METADATA, new MetadataMachine(topology, definitions));
    states.putAll(otherLogs);
    raft = RaftNode.start(config, bindAddress, dataDirectory.resolve("cluster"), states);
    log = raft.log(METADATA);
    topology.useLog(log);
    definitions.useLog(log);
    states.forEach(
        (name, state) -> {
          logs.add(raft.log(name));
          if (!name.equals(METADATA)) {
            state.useLog(raft.log(name));
          }
        });
    awaitMajority();
    return topology;
  }

  /** The definition changes every change of the node must go through, once {@link #join joined}. */
  public DefinitionChanges definitions() {
    return definitions;
  }

  /**
   * Makes the queues that delete themselves in {@code host} (auto-delete, exclusive, expired) do it
   * through the metadata log, so that every node forgets them. Once {@link #join joined}.
   */
  public void replicateSelfDeletions(VirtualHost host) {
    host.logSelfDeletions(queue -> topology.deleteItself(host, queue));
  }

  private void awaitMajority() {
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    while (true) {
      long attempt = System.nanoTime();
      try {
        log.barrier().get(RaftGroupLog.APPEND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        LOG.log(
            System.Logger.Level.INFO,
            "Cluster {0}: node {1} is in sync with the metadata log",
            config.name(),
            config.nodeId());
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException(
              "no majority of " + config.peers().keySet() + " answered within " + JOIN_TIMEOUT, e);
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "Cluster {0}: waiting for a majority of {1}",
            config.name(),
            config.peers().keySet());
        // a barrier refused at once is tried again after a pause, not in a busy loop
        LockSupport.parkNanos(BARRIER_PAUSE.toNanos() - (System.nanoTime() - attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while joining the cluster", e);
      }
    }
  }

  /** After the store's recovery: the exclusive queues of this node's previous run go. */
  public void recovered() {
    topology.forgetExclusiveQueuesOfEarlierRuns();
  }

  /**
   * Node {@code nodeId} was out of reach (its link fell silent, connecting timed out) and can be
   * reached again: the Raft connections to it are opened anew, see {@link RaftNode#reconnect}.
   */
  public void peerReturned(String nodeId) {
    if (raft != null) {
      LOG.log(
          System.Logger.Level.INFO,
          "Cluster {0}: node {1} is reachable again, renewing the Raft connections to it",
          config.name(),
          nodeId);
      raft.reconnect(nodeId);
    }
  }

  public ClusterStatus status() {
    return log.status();
  }

  /** Adds a node to every log of the cluster (it must be started with the new peer list). */
  public CompletableFuture<Void> addMember(ClusterConfig.Peer peer) {
    List<ClusterConfig.Peer> members = currentMembers();
    members.removeIf(member -> member.id().equals(peer.id()));
    members.add(peer);
    return changeMembers(members);
  }

  /** Removes a node from the cluster through the log. */
  public CompletableFuture<Void> removeMember(String nodeId) {
    List<ClusterConfig.Peer> members = currentMembers();
    if (!members.removeIf(member -> member.id().equals(nodeId))) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("node " + nodeId + " is not a member"));
    }
    return changeMembers(members);
  }

  /** The metadata log first, then the others: a node's membership is decided by the metadata. */
  private CompletableFuture<Void> changeMembers(List<ClusterConfig.Peer> members) {
    CompletableFuture<Void> changed = CompletableFuture.completedFuture(null);
    for (MetadataLog each : logs) {
      changed = changed.thenCompose(done -> each.changeMembers(members));
    }
    return changed;
  }

  private List<ClusterConfig.Peer> currentMembers() {
    List<ClusterConfig.Peer> members = new ArrayList<>();
    for (ClusterStatus.Member member : status().members()) {
      members.add(ClusterConfig.parsePeer(member.id() + "=" + member.address()));
    }
    return members;
  }

  /** Something to stop with the cluster membership (before the Raft server). */
  public void closeWith(Runnable action) {
    onClose.add(action);
  }

  @Override
  public void close() {
    onClose.forEach(Runnable::run);
    if (raft != null) {
      raft.close();
    }
  }
}
