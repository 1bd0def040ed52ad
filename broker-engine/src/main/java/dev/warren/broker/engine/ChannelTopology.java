package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueInfo;
import dev.warren.broker.metrics.ChurnEvent;
import dev.warren.broker.model.DirectReplyTo;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.VirtualHost;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a {@link LocalChannel} does to the topology: declares, deletes, purges and bindings. Each
 * change is decided by the connection's topology (at once, or by the cluster's log); the channel's
 * blocking methods wait for these. It also keeps the channel's last declared queue, which an empty
 * queue name stands for. Called from the channel's owner thread, as the channel is.
 */
final class ChannelTopology {
  private final LocalConnection connection;
  private final VirtualHost virtualHost;
  private String lastDeclaredQueue;

  ChannelTopology(LocalConnection connection, VirtualHost virtualHost) {
    this.connection = connection;
    this.virtualHost = virtualHost;
  }

  CompletionStage<Void> declareExchange(ExchangeDeclaration declaration) {
    return decide(new TopologyChange.DeclareExchange(declaration));
  }

  void checkExchange(String name) {
    virtualHost.checkExchange(name);
  }

  CompletionStage<Void> deleteExchange(String name, boolean ifUnused) {
    return decide(new TopologyChange.DeleteExchange(name, ifUnused));
  }

  CompletionStage<QueueInfo> declareQueue(QueueDeclaration declaration) {
    String home = connection.topology().node();
    return decide(new TopologyChange.DeclareQueue(declaration, connection.owner(), home, null))
        .thenApply(
            declared -> {
              if (declared.created() && declared.queue().exclusiveOwner() != null) {
                connection.ownExclusive(declared.queue());
              }
              lastDeclaredQueue = declared.queue().name();
              connection.record(ChurnEvent.QUEUE_DECLARED);
              if (declared.created()) {
                connection.record(ChurnEvent.QUEUE_CREATED);
              }
              return declared;
            })
        .thenCompose(
            declared -> {
              Queue queue = declared.queue();
              QueueInfo info =
                  new QueueInfo(queue.name(), declared.messageCount(), declared.consumerCount());
              if (declared.created()) {
                return queue.started().thenApply(started -> info);
              }
              if (!queue.keptElsewhere()) {
                return CompletableFuture.completedFuture(info);
              }
              // another node's queue: its counts are there
              return queue
                  .countsAsync()
                  .thenApply(c -> new QueueInfo(queue.name(), c.messages(), c.consumers()));
            });
  }

  /**
   * A direct reply-to name answers as RabbitMQ's does: no messages and one consumer while live, 404
   * once its consumer is gone.
   */
  QueueInfo checkQueue(String name) {
    if (DirectReplyTo.isReplyQueueName(name)) {
      if (!virtualHost.directReplyTo().isLive(name)) {
        throw Rejections.noQueue(virtualHost.name(), name);
      }
      lastDeclaredQueue = name;
      return new QueueInfo(name, 0, 1);
    }
    Queue queue = virtualHost.queueForUse(expandQueueName(name), connection.owner());
    lastDeclaredQueue = queue.name();
    return new QueueInfo(queue.name(), queue.messageCount(), queue.consumerCount());
  }

  /** A classic queue of another node answers with its counts there. */
  CompletionStage<QueueInfo> checkQueueAsync(String name) {
    if (DirectReplyTo.isReplyQueueName(name)) {
      return BrokerChannel.completedWith(() -> checkQueue(name));
    }
    Queue queue;
    try {
      queue = virtualHost.queueForUse(expandQueueName(name), connection.owner());
    } catch (BrokerException e) {
      return CompletableFuture.failedFuture(e);
    }
    lastDeclaredQueue = queue.name();
    return queue
        .countsAsync()
        .thenApply(counts -> new QueueInfo(queue.name(), counts.messages(), counts.consumers()));
  }

  CompletionStage<Integer> deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
    return decide(
        new TopologyChange.DeleteQueue(
            expandQueueName(name), connection.owner(), ifUnused, ifEmpty));
  }

  CompletionStage<Integer> purgeQueue(String name) {
    return virtualHost.queueForUse(expandQueueName(name), connection.owner()).purgeAsync();
  }

  /** queue.bind ({@code bind}) or queue.unbind. */
  CompletionStage<Void> bindQueue(
      boolean bind,
      String queue,
      String exchange,
      String routingKey,
      Map<String, Object> arguments) {
    String queueName = expandQueueName(queue);
    String key = queue.isEmpty() && routingKey.isEmpty() ? queueName : routingKey;
    return decide(
        new TopologyChange.BindQueue(
            queueName, exchange, key, arguments, connection.owner(), bind));
  }

  /** exchange.bind ({@code bind}) or exchange.unbind. */
  CompletionStage<Void> bindExchange(
      boolean bind,
      String destination,
      String source,
      String routingKey,
      Map<String, Object> arguments) {
    return decide(
        new TopologyChange.BindExchange(destination, source, routingKey, arguments, bind));
  }

  /** RabbitMQ's shortcut: an empty queue name means the channel's last declared queue. */
  String expandQueueName(String name) {
    if (!name.isEmpty()) {
      return name;
    }
    if (lastDeclaredQueue == null) {
      throw Rejections.noPreviouslyDeclaredQueue();
    }
    return lastDeclaredQueue;
  }

  private <R> CompletionStage<R> decide(TopologyChange<R> change) {
    return connection.topology().decide(virtualHost, change);
  }
}
