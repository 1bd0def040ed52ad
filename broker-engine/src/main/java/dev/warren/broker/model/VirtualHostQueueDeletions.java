package dev.warren.broker.model;

import dev.warren.broker.metrics.ChurnCounters;
import dev.warren.broker.metrics.ChurnEvent;
import java.util.Map;

/**
 * How queues leave a virtual host: queue.delete with its conditions, and the deletions a queue asks
 * for itself (auto-delete, x-expires, its exclusive owner gone). A deletion runs under the virtual
 * host's topology lock, takes the bindings to the queue with it and cancels the queue's consumers.
 */
final class VirtualHostQueueDeletions {
  private final String virtualHost;
  private final Object topologyLock;
  private final Map<String, Queue> queues;
  private final Persistence persistence;
  private final ChurnCounters churn;
  private final VirtualHostBindings bindings;

  /**
   * On a cluster, the deletions a queue asks for itself go through the metadata log instead of
   * happening here; null otherwise.
   */
  private volatile java.util.function.Consumer<Queue> loggedSelfDeletions;

  /** The virtual host's own lock, queue registry and bindings, shared with it. */
  VirtualHostQueueDeletions(
      String virtualHost,
      Object topologyLock,
      Map<String, Queue> queues,
      Persistence persistence,
      ChurnCounters churn,
      VirtualHostBindings bindings) {
    this.virtualHost = virtualHost;
    this.topologyLock = topologyLock;
    this.queues = queues;
    this.persistence = persistence;
    this.churn = churn;
    this.bindings = bindings;
  }

  void logSelfDeletions(java.util.function.Consumer<Queue> deletions) {
    loggedSelfDeletions = deletions;
  }

  /** queue.delete: a missing queue counts as deleted with 0 messages. */
  int delete(String queueName, Object connection, boolean ifUnused, boolean ifEmpty) {
    synchronized (topologyLock) {
      Queue queue = queues.get(queueName);
      if (queue == null) {
        return 0;
      }
      if (!queue.accessibleTo(connection)) {
        throw Rejections.exclusiveQueueLocked(virtualHost, queueName);
      }
      return remove(queue, queue.delete(ifUnused, ifEmpty));
    }
  }

  /** The conditions of a queue.delete, checked without deleting. */
  void check(String queueName, Object connection, boolean ifUnused, boolean ifEmpty) {
    Queue queue = queues.get(queueName);
    if (queue == null) {
      return;
    }
    if (!queue.accessibleTo(connection)) {
      throw Rejections.exclusiveQueueLocked(virtualHost, queueName);
    }
    if (ifUnused && queue.consumerCount() > 0) {
      throw Rejections.inUse(Rejections.queue(virtualHost, queueName));
    }
    if (ifEmpty && queue.messageCount() > 0) {
      throw Rejections.notEmpty(Rejections.queue(virtualHost, queueName));
    }
  }

  /** Deletes a queue unconditionally, e.g. an exclusive queue whose connection closed. */
  void delete(Queue queue) {
    java.util.function.Consumer<Queue> logged = loggedSelfDeletions;
    if (logged != null) {
      logged.accept(queue);
      return;
    }
    synchronized (topologyLock) {
      if (queues.get(queue.name()) == queue) {
        remove(queue, queue.delete(false, false));
      }
    }
  }

  void deleteIfAbandoned(Queue queue) {
    java.util.function.Consumer<Queue> logged = loggedSelfDeletions;
    if (logged != null) {
      logged.accept(queue); // the queue found itself abandoned, a moment ago
      return;
    }
    synchronized (topologyLock) {
      if (queues.get(queue.name()) != queue) {
        return;
      }
      Queue.Deletion deletion = queue.deleteIfAbandoned();
      if (deletion != null) {
        remove(queue, deletion);
      }
    }
  }

  boolean deleteIfExpired(Queue queue) {
    java.util.function.Consumer<Queue> logged = loggedSelfDeletions;
    if (logged != null) {
      logged.accept(queue); // its expiry task found it idle past the period
      return true;
    }
    synchronized (topologyLock) {
      if (queues.get(queue.name()) != queue) {
        return true;
      }
      Queue.Deletion deletion = queue.deleteIfExpired();
      if (deletion != null) {
        remove(queue, deletion);
      }
      return deletion != null;
    }
  }

  /**
   * Removes a queue that {@code deletion} emptied, with its bindings, counting it where it is at
   * home; the topology lock is held.
   *
   * @return the number of ready messages deleted with it
   */
  int remove(Queue queue, Queue.Deletion deletion) {
    queues.remove(queue.name(), queue);
    if (queue.home()) {
      churn.record(ChurnEvent.QUEUE_DELETED);
    }
    persistence.queueDeleted(virtualHost, queue);
    bindings.removeBindingsTo(queue);
    for (Consumer consumer : deletion.cancelled()) {
      consumer.target().cancelledByBroker(consumer);
    }
    return deletion.messageCount();
  }
}
