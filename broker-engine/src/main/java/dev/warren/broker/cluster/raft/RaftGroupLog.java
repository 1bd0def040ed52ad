package dev.warren.broker.cluster.raft;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.cluster.MetadataLog;
import dev.warren.broker.concurrent.DaemonThreads;
import dev.warren.broker.engine.api.ClusterStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * One Ratis group of the node's {@link RaftNode}, as a log: a client that appends to whichever
 * member leads, a barrier, the members' status and configuration changes.
 */
public final class RaftGroupLog implements MetadataLog {
  private static final System.Logger LOG = System.getLogger(RaftGroupLog.class.getName());

  /** How long an append may wait for a majority (RabbitMQ's Khepri waits 30 s). */
  public static final Duration APPEND_TIMEOUT = Duration.ofSeconds(10);

  /** A member silent for longer than this is shown as unreachable. */
  private static final long REACHABLE_MILLIS = 3000;

  private final ClusterConfig config;
  private final RaftGroup group;
  private final RaftServer server;
  private final RaftProperties properties;

  /** Replaced after a request ran out of retries: see {@link #renewAfter}. */
  private volatile RaftClient client;

  private final ScheduledExecutorService poller;

  /** The one thread that hands {@link GroupCommit}'s batches to the client, in order. */
  private final ExecutorService sender;

  private final GroupCommit appends;

  private final AbruptCloser closer;

  /** The leader the local member saw elected last, null before the first election it saw. */
  private volatile RaftPeerId seenLeader;

  RaftGroupLog(
      ClusterConfig config,
      RaftGroup group,
      RaftServer server,
      RaftProperties properties,
      ScheduledExecutorService poller,
      AbruptCloser closer) {
    this.config = config;
    this.group = group;
    this.server = server;
    this.properties = properties;
    this.client = newClient(group, properties);
    this.poller = poller;
    this.closer = closer;
    this.sender = DaemonThreads.single("warren-raft-append-" + group.getGroupId());
    this.appends = new GroupCommit(this::send, sender);
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
    return appends.append(entry);
  }

  private CompletableFuture<RaftClientReply> send(byte[] entry) {
    RaftClient sender = client;
    CompletableFuture<RaftClientReply> sent =
        sender
            .async()
            .send(Message.valueOf(ByteString.copyFrom(entry)))
            .thenApply(
                reply -> {
                  if (!reply.isSuccess()) {
                    throw new CompletionException(reply.getException());
                  }
                  return reply;
                });
    sent.whenComplete(
        (reply, failure) -> {
          if (failure != null) {
            renewAfter(sender, failure);
          }
        });
    return sent.orTimeout(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Ratis's ordered client keeps the failure of a request that ran out of retries and fails every
   * later request with it at once (its sliding window is closed), so a node cut off from the
   * majority for longer than an append's retries would never append again, even after healing. Such
   * a client is replaced by a new one; what it still had in flight has failed already.
   */
  private void renewAfter(RaftClient failed, Throwable failure) {
    if (!causedBy(failure, RaftRetryFailureException.class)
        && !causedBy(failure, AlreadyClosedException.class)) {
      return;
    }
    synchronized (this) {
      if (client != failed) {
        return;
      }
      client = newClient(group, properties);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "Cluster log {0}: a new Raft client after {1}",
        group.getGroupId(),
        failure.toString());
    closeQuietly(failed);
  }

  /**
   * The local member saw {@code leader} elected. The client may still be waiting on the old leader:
   * one cut off from the majority goes on accepting requests it can never commit, and the client
   * gives up on them only after its request timeout (3 s), then closes that connection gracefully
   * (3 s more) before retrying elsewhere, so the majority's first confirm came 6.3 s after its
   * leader was cut off in QuorumPartitionIT. The connection to the old leader is closed at once
   * instead: what waited on it fails and is retried on another member, which leads or names the
   * leader.
   */
  void leaderChanged(RaftPeerId leader) {
    RaftPeerId previous = seenLeader;
    seenLeader = leader;
    RaftClient current = client;
    RaftPeerId old = current.getLeaderId();
    // the first leader after a start is no failover: the client's first guess may be wrong, and
    // a wrong guess is answered at once with the leader's name
    if (previous == null
        || !previous.equals(old)
        || old.equals(leader)
        || old.equals(server.getId())) {
      return;
    }
    IOException reason = new IOException("node " + leader + " leads log " + group.getGroupId());
    closer.close(() -> current.getClientRpc().handleException(old, reason, true));
  }

  /** Drops the client's connection to {@code peer}: see {@link RaftNode#reconnect}. */
  void reconnect(RaftPeerId peer, IOException reason) {
    client.getClientRpc().handleException(peer, reason, true);
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
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
  public Optional<ClusterStatus> members() {
    return Optional.of(status());
  }

  @Override
  public CompletableFuture<Void> changeMembers(List<ClusterConfig.Peer> members) {
    // a thread of its own: the call blocks until the new members caught up, which must not hold a
    // thread of the common pool, where Ratis hands on its followers' appends
    return CompletableFuture.runAsync(
        () -> {
          try {
            RaftClientReply reply = client.admin().setConfiguration(RaftNode.peers(members));
            if (!reply.isSuccess()) {
              throw new CompletionException(reply.getException());
            }
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        },
        task -> DaemonThreads.named("warren-raft-membership").newThread(task).start());
  }

  /** Closes the client; the server is the node's. */
  @Override
  public void close() {
    sender.shutdownNow();
    closeQuietly(client);
  }

  private static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a Raft client failed", e);
    }
  }
}
