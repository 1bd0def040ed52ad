package dev.warren.broker.model;

import java.util.List;

/**
 * Another cluster node, as the keeper of classic queues that this node's publishes may route to. A
 * message routed to several of its queues goes to it once, naming them all, as RabbitMQ delivers a
 * message once to each node whose queues it routes to: one copy on the wire and in that node's
 * store instead of one per queue.
 */
public interface HomeNode {

  /**
   * Forwards a publish to {@code queues} of {@code virtualHost} on that node; {@code confirmation}
   * hears once it holds the message in all of them, or that it failed (the node is down, or its
   * link has too many publishes unconfirmed).
   */
  void publish(
      String virtualHost, List<String> queues, Message message, Persistence.Synced confirmation);
}
