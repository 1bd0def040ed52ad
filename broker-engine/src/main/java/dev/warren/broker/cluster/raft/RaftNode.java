package dev.warren.broker.cluster.raft;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.cluster.ReplicatedState;
import dev.warren.broker.concurrent.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The node's Raft server (Apache Ratis, gRPC on the cluster port), hosting one group per log the
 * cluster keeps: the metadata log and the quorum queues' shard logs, every node a member of each. A
 * group's id is derived from the cluster's name and the log's name, so every node names the same
 * groups without agreeing on anything else. Logs and snapshots live under the data directory.
 */
public final class RaftNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

  /** Entries between snapshots: the log is truncated at each one. */
  static final long SNAPSHOT_EVERY = 4096;

  private final RaftServer server;
  private final Map<String, RaftGroupLog> logs;
  private final ScheduledExecutorService poller;

  private final AbruptCloser closer;

  private RaftNode(
      RaftServer server,
      Map<String, RaftGroupLog> logs,
      ScheduledExecutorService poller,
      AbruptCloser closer) {
    this.server = server;
    this.logs = logs;
    this.poller = poller;
    this.closer = closer;
  }

  /**
   * Starts the server with one group per named state (the first one is started with the server; the
   * others are added to it, or found in its storage on a restart). Each group replays its snapshot
   * and log into its state, then joins its peers on the other nodes.
   */
  public static RaftNode start(
      ClusterConfig config,
      String bindAddress,
      Path directory,
      Map<String, ReplicatedState> states) {
    Map<RaftGroupId, String> names = new HashMap<>();
    Map<RaftGroupId, ReplicatedState> byGroup = new HashMap<>();
    Map<String, RaftGroup> groups = new LinkedHashMap<>();
    List<RaftPeer> peers = peers(config.peerList());
    states.forEach(
        (name, state) -> {
          RaftGroup group = RaftGroup.valueOf(groupId(config.name(), name), peers);
          groups.put(name, group);
          names.put(group.getGroupId(), name);
          byGroup.put(group.getGroupId(), state);
        });
    RaftProperties properties = properties(config, bindAddress, directory);
    RaftPeerId self = RaftPeerId.valueOf(config.nodeId());
    ScheduledExecutorService poller = DaemonThreads.scheduler("warren-cluster-barrier");
    AbruptCloser closer = new AbruptCloser();
    // filled once the server runs: a leader elected before its log is made here is no failover
    Map<String, RaftGroupLog> logs = new ConcurrentHashMap<>();
    try {
      RaftServer server =
          RaftServer.newBuilder()
              .setServerId(self)
              .setGroup(groups.values().iterator().next())
              .setProperties(properties)
              .setStateMachineRegistry(
                  id ->
                      new ReplicatedStateMachine(
                          names.get(id),
                          byGroup.get(id),
                          leader -> {
                            RaftGroupLog log = logs.get(names.get(id));
                            if (log != null) {
                              log.leaderChanged(leader);
                            }
                          }))
              .setOption(RaftStorage.StartupOption.RECOVER)
              .build();
      server.start();
      List<RaftGroupId> present = new ArrayList<>();
      server.getGroupIds().forEach(present::add);
      for (RaftGroup group : groups.values()) {
        if (!present.contains(group.getGroupId())) {
          server.groupManagement(
              GroupManagementRequest.newAdd(ClientId.randomId(), self, 0, group, true));
        }
      }
      groups.forEach(
          (name, group) ->
              logs.put(name, new RaftGroupLog(config, group, server, properties, poller, closer)));
      LOG.log(
          System.Logger.Level.INFO,
          "Cluster {0}: node {1} listening for Raft on port {2,number,#}, peers {3}, logs {4}",
          config.name(),
          config.nodeId(),
          config.port(),
          config.peers().keySet(),
          groups.keySet());
      return new RaftNode(server, logs, poller, closer);
    } catch (IOException e) {
      poller.shutdownNow();
      closer.close();
      throw new UncheckedIOException("cannot start the cluster's Raft server", e);
    }
  }

  /** The log of the state started under that name. */
  public RaftGroupLog log(String name) {
    return logs.get(name);
  }

  /**
   * Makes the server and the logs' clients open new connections to {@code peer}, which has been
   * unreachable and is reachable again. Ratis keeps its gRPC connections across a partition: what
   * it sent meanwhile waits in TCP's retransmission backoff, whose interval doubles with each
   * unanswered resend (to several seconds after a partition of 20 s), and its new connections wait
   * in the SYN's backoff, so a healed node went on hearing nothing from the leader for that long:
   * it caught up 11 to 15 s after healing in QuorumPartitionIT, 4 to 6 s with this. New connections
   * carry the next append at once.
   */
  public void reconnect(String peer) {
    RaftPeerId id = RaftPeerId.valueOf(peer);
    IOException reason = new IOException("node " + peer + " is reachable again");
    closer.close(
        () -> {
          server.getServerRpc().handleException(id, reason, true);
          logs.values().forEach(log -> log.reconnect(id, reason));
        });
  }

  /** The same id on every node for the same cluster name and log name. */
  static RaftGroupId groupId(String clusterName, String logName) {
    String name = "warren:" + clusterName + ":" + logName;
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  static List<RaftPeer> peers(List<ClusterConfig.Peer> peers) {
    List<RaftPeer> result = new ArrayList<>();
    for (ClusterConfig.Peer peer : peers) {
      result.add(RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build());
    }
    return result;
  }

  private static RaftProperties properties(
      ClusterConfig config, String bindAddress, Path directory) {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(directory.toFile()));
    GrpcConfigKeys.Server.setHost(properties, bindAddress);
    GrpcConfigKeys.Server.setPort(properties, config.port());
    // Elections within a second or two of a leader's loss, as RabbitMQ's Ra does.
    RaftServerConfigKeys.Rpc.setTimeoutMin(
        properties, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        properties, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    // A member being added must answer the leader within this while it catches up, or the change
    // fails (Ratis's default, 3 election timeouts, is 3 s here: less than a node just started on a
    // busy machine takes to open every log, so --cluster-add failed there).
    RaftServerConfigKeys.setStagingTimeout(properties, TimeDuration.valueOf(60, TimeUnit.SECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, SNAPSHOT_EVERY);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    // Purge the log up to what every member has committed (Ratis's default), not up to the
    // snapshot, and keep a margin before that: with purging up to the snapshot, a member that came
    // back exactly at the start of the leader's purged log was sent neither entries nor a snapshot
    // ("Previous TermIndex not found"), and the leader lost that member for good. A member that is
    // down holds the others' purging back until it returns.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, false);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, SNAPSHOT_EVERY / 4);
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("8MB"));
    // Proposals come from event loops: the client must not make them wait for a free slot.
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(properties, 65536);
    // A leader with more appendEntries awaiting a follower's answer than this sends it only a
    // heartbeat, then waits up to half the election timeout: with Ratis's default of 8, a few
    // proposing nodes' batches (GroupCommit keeps several in flight each) reached it under load and
    // every round stalled for ~100 ms. The window is bounded by the entries the log holds anyway.
    GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(properties, 128);
    // No log-metadata entry after each commit: every member appended and forced one per proposal.
    // The leader's appender tells the followers of a commit with a heartbeat instead.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
    RaftConfigKeys.Rpc.setType(properties, new CommitPushingRpc());
    return properties;
  }

  @Override
  public void close() {
    closer.close();
    logs.values().forEach(RaftGroupLog::close);
    poller.shutdownNow();
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the Raft server failed", e);
    }
  }
}
