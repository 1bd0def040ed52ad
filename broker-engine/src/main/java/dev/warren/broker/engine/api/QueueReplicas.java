package dev.warren.broker.engine.api;

import java.util.List;

/**
 * Where a replicated (quorum) queue lives, as this node sees its log: RabbitMQ's {@code leader},
 * {@code members} and {@code online}.
 *
 * @param leader the node leading the queue's log, or null during an election or while this node is
 *     cut off from a majority
 * @param members every node holding a replica
 * @param online the members this node heard from lately (on a follower: itself and the leader)
 */
public record QueueReplicas(String leader, List<String> members, List<String> online) {
  public QueueReplicas {
    members = List.copyOf(members);
    online = List.copyOf(online);
  }

  /** The replicas of a log with this status. */
  public static QueueReplicas of(ClusterStatus status) {
    return new QueueReplicas(
        status.leader(),
        status.members().stream().map(ClusterStatus.Member::id).toList(),
        status.members().stream()
            .filter(ClusterStatus.Member::reachable)
            .map(ClusterStatus.Member::id)
            .toList());
  }
}
