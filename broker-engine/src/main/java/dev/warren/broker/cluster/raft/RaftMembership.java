package dev.warren.broker.cluster.raft;

import dev.warren.broker.cluster.ClusterConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Adds a node to, or removes one from, a running cluster from outside it (the command line's {@code
 * --cluster-add} and {@code --cluster-remove}): a Raft configuration change of every log of the
 * cluster, the metadata log first, each decided by that log's majority.
 */
public final class RaftMembership {
  private RaftMembership() {}

  /**
   * @param known some of the cluster's current members, to reach its leaders through
   * @param logs the cluster's log names: {@code metadata}, then the quorum shards
   * @param add the node to add (started already, with the new peer list), or null
   * @param remove the id of the node to remove, or null
   * @return one line per log with its members now, by id
   */
  public static List<String> change(
      String clusterName,
      List<ClusterConfig.Peer> known,
      List<String> logs,
      ClusterConfig.Peer add,
      String remove)
      throws IOException {
    // A configuration change answers once the leader has caught the new member up, which takes
    // longer than Ratis's default 3 s request timeout on a busy machine; a retry meanwhile is
    // refused as a reconfiguration in progress.
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        properties, TimeDuration.valueOf(60, TimeUnit.SECONDS));
    List<String> report = new ArrayList<>();
    for (String log : logs) {
      RaftGroupId id = RaftNode.groupId(clusterName, log);
      RaftGroup group = RaftGroup.valueOf(id, RaftNode.peers(known));
      try (RaftClient client =
          RaftClient.newBuilder()
              .setClientId(ClientId.randomId())
              .setRaftGroup(group)
              .setProperties(properties)
              // a few retries (a leader may change meanwhile), never forever
              .setRetryPolicy(
                  RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                      5, TimeDuration.valueOf(1, TimeUnit.SECONDS)))
              .build()) {
        List<RaftPeer> members = new ArrayList<>(currentMembers(client, id, group));
        if (add != null) {
          members.removeIf(peer -> peer.getId().toString().equals(add.id()));
          members.addAll(RaftNode.peers(List.of(add)));
        }
        if (remove != null && !members.removeIf(peer -> peer.getId().toString().equals(remove))) {
          throw new IllegalArgumentException("node " + remove + " is not a member of " + log);
        }
        RaftClientReply reply = client.admin().setConfiguration(members);
        if (!reply.isSuccess()) {
          throw new IOException("changing the members of " + log + " failed", reply.getException());
        }
        List<String> ids = new ArrayList<>();
        members.forEach(peer -> ids.add(peer.getId().toString()));
        ids.sort(null);
        report.add(log + ": " + ids);
      }
    }
    return report;
  }

  /** The log's members as the first reachable known member has them. */
  private static List<RaftPeer> currentMembers(RaftClient client, RaftGroupId id, RaftGroup group)
      throws IOException {
    IOException last = null;
    for (RaftPeer peer : group.getPeers()) {
      try {
        RaftPeerId server = peer.getId();
        return List.copyOf(client.getGroupManagementApi(server).info(id).getGroup().getPeers());
      } catch (IOException unreachable) {
        last = unreachable;
      }
    }
    throw new IOException("no known member of the cluster answered", last);
  }
}
