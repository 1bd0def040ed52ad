package dev.warren.broker.engine.api;

import java.util.List;

/**
 * What a node knows of its cluster, for management (RabbitMQ's {@code nodes} and {@code
 * cluster_name}): the members of the metadata group as this node sees them.
 *
 * @param name the cluster's name
 * @param node this node's id
 * @param leader the metadata group's leader, or null while there is none (an election, or this node
 *     is cut off from a majority)
 * @param members every member of the metadata group
 */
public record ClusterStatus(String name, String node, String leader, List<Member> members) {

  /**
   * @param id the node's id
   * @param address its Raft address (host:port)
   * @param role {@code leader}, {@code follower} or {@code unknown} (another node's role as a
   *     follower sees it)
   * @param reachable whether this node heard from it lately: known for every member on the leader;
   *     on a follower only for itself and the leader
   */
  public record Member(String id, String address, String role, boolean reachable) {}

  public ClusterStatus {
    members = List.copyOf(members);
  }
}
