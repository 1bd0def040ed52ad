package dev.warren.broker.cluster.raft;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.cluster.MetadataLog;
import dev.warren.broker.cluster.ReplicatedState;
import dev.warren.broker.engine.api.ClusterStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The metadata log as one Ratis group with every node of the cluster as a member: a Raft server on
 * the node's cluster port (gRPC), its log and snapshots under the data directory, and a client that
 * appends to whichever member leads. The group's id is derived from the cluster's name, so every
 * node names the same group without agreeing on anything else.
 */
public final class RaftMetadataLog implements MetadataLog {
  private static final System.Logger LOG = System.getLogger(RaftMetadataLog.class.getName());

  /** How long an append may wait for a majority (RabbitMQ's Khepri waits 30 s). */
  public static final Duration APPEND_TIMEOUT = Duration.ofSeconds(10);

  /** Entries between snapshots: the log is truncated at each one. */
  static final long SNAPSHOT_EVERY = 4096;

  /** A member silent for longer than this is shown as unreachable. */
  private static final long REACHABLE_MILLIS = 3000;

  private final ClusterConfig config;
  private final RaftGroup group;
  private final RaftServer server;
  private final RaftClient client;
  private final ScheduledExecutorService poller;

  private RaftMetadataLog(
      ClusterConfig config, RaftGroup group, RaftServer server, RaftClient client) {
    this.config = config;
    this.group = group;
    this.server = server;
    this.client = client;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "warren-cluster-barrier");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts this node's member of the metadata group: it replays its snapshot and log into {@code
   * state}, then joins the others (a fresh set of nodes elects its first leader by itself).
   */
  public static RaftMetadataLog start(
      ClusterConfig config, String bindAddress, Path directory, ReplicatedState state) {
    RaftGroup group = RaftGroup.valueOf(groupId(config.name(), "metadata"), peers(config));
    RaftProperties properties = properties(config, directory);
    GrpcConfigKeys.Server.setHost(properties, bindAddress);
    try {
      RaftServer server =
          RaftServer.newBuilder()
              .setServerId(RaftPeerId.valueOf(config.nodeId()))
              .setGroup(group)
              .setProperties(properties)
              .setStateMachine(new MetadataStateMachine(state))
              .setOption(RaftStorage.StartupOption.RECOVER)
              .build();
      server.start();
      RaftClient client = newClient(group, properties);
      LOG.log(
          System.Logger.Level.INFO,
          "Cluster {0}: node {1} listening for Raft on port {2,number,#}, peers {3}",
          config.name(),
          config.nodeId(),
          config.port(),
          config.peers().keySet());
      return new RaftMetadataLog(config, group, server, client);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the cluster's Raft server", e);
    }
  }

  /** The same id on every node for the same cluster name and purpose. */
  static RaftGroupId groupId(String clusterName, String purpose) {
    String name = "warren:" + clusterName + ":" + purpose;
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  static List<RaftPeer> peers(ClusterConfig config) {
    return peers(config.peerList());
  }

  static List<RaftPeer> peers(List<ClusterConfig.Peer> peers) {
    List<RaftPeer> result = new ArrayList<>();
    for (ClusterConfig.Peer peer : peers) {
      result.add(RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build());
    }
    return result;
  }

  private static RaftProperties properties(ClusterConfig config, Path directory) {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(directory.toFile()));
    GrpcConfigKeys.Server.setPort(properties, config.port());
    // Elections within a second or two of a leader's loss, as RabbitMQ's Ra does.
    RaftServerConfigKeys.Rpc.setTimeoutMin(
        properties, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        properties, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, SNAPSHOT_EVERY);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("8MB"));
    return properties;
  }

  private static RaftClient newClient(RaftGroup group, RaftProperties properties) {
    long attempts = APPEND_TIMEOUT.toMillis() / 200;
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setProperties(properties)
        .setRetryPolicy(
            RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                (int) attempts, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build();
  }

  @Override
  public CompletableFuture<Void> append(byte[] entry) {
    return send(entry).thenApply(reply -> null);
  }

  private CompletableFuture<RaftClientReply> send(byte[] entry) {
    return client
        .async()
        .send(Message.valueOf(ByteString.copyFrom(entry)))
        .thenApply(
            reply -> {
              if (!reply.isSuccess()) {
                throw new CompletionException(reply.getException());
              }
              return reply;
            })
        .orTimeout(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> barrier() {
    CompletableFuture<Void> applied = new CompletableFuture<>();
    send(new byte[0])
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                applied.completeExceptionally(failure);
              } else {
                awaitApplied(reply.getLogIndex(), applied);
              }
            });
    return applied;
  }

  private void awaitApplied(long index, CompletableFuture<Void> applied) {
    if (lastApplied() >= index) {
      applied.complete(null);
    } else {
      poller.schedule(() -> awaitApplied(index, applied), 10, TimeUnit.MILLISECONDS);
    }
  }

  private long lastApplied() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().getLastAppliedIndex();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ClusterStatus status() {
    RoleInfoProto role;
    RaftPeerId leader;
    List<RaftPeer> members;
    try {
      RaftServer.Division division = server.getDivision(group.getGroupId());
      role = division.getInfo().getRoleInfoProto();
      leader = division.getInfo().getLeaderId();
      members = List.copyOf(division.getRaftConf().getCurrentPeers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Long> silence = new HashMap<>();
    if (role.hasLeaderInfo()) {
      for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
        silence.put(follower.getId().getId().toStringUtf8(), follower.getLastRpcElapsedTimeMs());
      }
    } else if (role.hasFollowerInfo() && leader != null) {
      silence.put(
          leader.toString(), role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs());
    }
    List<ClusterStatus.Member> result = new ArrayList<>();
    for (RaftPeer peer : members) {
      String id = peer.getId().toString();
      boolean self = id.equals(config.nodeId());
      boolean isLeader = leader != null && leader.equals(peer.getId());
      String roleName =
          isLeader
              ? "leader"
              : self || role.getRole() == RaftPeerRole.LEADER ? "follower" : "unknown";
      boolean reachable = self || silence.getOrDefault(id, Long.MAX_VALUE) < REACHABLE_MILLIS;
      result.add(new ClusterStatus.Member(id, peer.getAddress(), roleName, reachable));
    }
    return new ClusterStatus(
        config.name(), config.nodeId(), leader == null ? null : leader.toString(), result);
  }

  @Override
  public CompletableFuture<Void> changeMembers(List<ClusterConfig.Peer> members) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            RaftClientReply reply = client.admin().setConfiguration(peers(members));
            if (!reply.isSuccess()) {
              throw new CompletionException(reply.getException());
            }
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        });
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the Raft client failed", e);
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the Raft server failed", e);
    }
  }
}
