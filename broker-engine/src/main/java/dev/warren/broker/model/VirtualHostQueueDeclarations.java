package dev.warren.broker.model;

import dev.warren.broker.engine.api.QueueDeclaration;
import java.util.Map;

/**
 * queue.declare in a virtual host: a redeclaration must be equivalent, a new queue must be allowed
 * (its name, arguments and the virtual host's limits), and the node decides what kind of queue it
 * becomes. New queues are registered under the virtual host's topology lock.
 */
final class VirtualHostQueueDeclarations {
  private final VirtualHost host;
  private final Object topologyLock;
  private final Map<String, Queue> queues;

  /** On a cluster node, what makes its quorum queues; null otherwise. */
  private volatile ReplicatedQueues replicatedQueues;

  private volatile ForwardedQueues forwardedQueues;

  /** The virtual host's own lock and queue registry, shared with it. */
  VirtualHostQueueDeclarations(VirtualHost host, Object topologyLock, Map<String, Queue> queues) {
    this.host = host;
    this.topologyLock = topologyLock;
    this.queues = queues;
  }

  void replicateQueues(ReplicatedQueues factory) {
    replicatedQueues = factory;
  }

  void forwardQueues(ForwardedQueues factory) {
    forwardedQueues = factory;
  }

  VirtualHost.QueueDeclared declare(
      QueueDeclaration declaration, Object connection, String home, String serverName) {
    String name = host.name();
    String queueName = declaration.name();
    if (queueName.isEmpty()) {
      queueName = serverName == null ? GeneratedNames.queueName() : serverName;
    } else if (queueName.startsWith(VirtualHost.RESERVED_PREFIX)) {
      throw Rejections.reservedName("queue", queueName);
    }
    Object owner = declaration.exclusive() ? connection : null;
    QueueArgumentValidator.validateQueue(
        Rejections.queue(name, queueName), Arguments.copyOf(declaration.arguments()));
    ReplicatedQueues replicated =
        ReplicatedQueues.requested(declaration.arguments()) ? replicatedQueues : null;
    synchronized (topologyLock) {
      Queue existing = queues.get(queueName);
      if (existing != null) {
        Equivalence.assertRedeclaration(name, existing, declaration, owner);
        existing.touch();
        return new VirtualHost.QueueDeclared(
            existing, false, existing.messageCount(), existing.consumerCount());
      }
      if (replicated != null) {
        ReplicatedQueues.checkDeclaration(declaration, Rejections.queue(name, queueName));
      }
      host.limits().checkNewQueue(name, queueName, queues.size());
      Queue queue = newQueue(declaration, queueName, owner, home, replicated);
      queues.put(queueName, queue);
      host.persistence().queueDeclared(name, queue);
      queue.applyPolicy(host.policies().forQueue(queueName, VirtualHost.quorum(queue)));
      return new VirtualHost.QueueDeclared(queue, true, 0, 0);
    }
  }

  /**
   * A replicated queue if one was asked for and this node has a log; another node's classic queue
   * if its client declared it there (this node only forwards to it); else a classic queue here.
   */
  private Queue newQueue(
      QueueDeclaration declaration,
      String queueName,
      Object owner,
      String home,
      ReplicatedQueues replicated) {
    Map<String, Object> arguments = Arguments.copyOf(declaration.arguments());
    if (replicated != null) {
      return replicated.create(host, queueName, arguments, home);
    }
    ForwardedQueues forwarded = forwardedQueues;
    if (forwarded != null && !home.equals(host.node())) {
      return forwarded.create(
          host, queueName, declaration.durable(), declaration.autoDelete(), owner, arguments, home);
    }
    return new ClassicQueue(
        queueName,
        host.name(),
        declaration.durable(),
        declaration.autoDelete(),
        owner,
        arguments,
        host.persistence(),
        host,
        home);
  }
}
