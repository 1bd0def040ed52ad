package dev.warren.broker.engine;

import dev.warren.broker.engine.ChannelDeliveries.Held;
import dev.warren.broker.engine.UnackedMessages.Unacked;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelSnapshot;
import dev.warren.broker.engine.api.ChannelStatistics;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueInfo;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.DeliveryTarget;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.Settlement;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.BasicProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A channel of a {@link LocalConnection}. Its owner calls it from one thread at a time; queues call
 * its {@link DeliveryTarget} side from any thread, which {@link ChannelDeliveries} serves.
 */
final class LocalChannel implements BrokerChannel, DeliveryTarget {
  private final LocalConnection connection;
  private final int number;
  private final VirtualHost virtualHost;
  private final ListenerMailbox mailbox;
  private final ReplyConsumer replyConsumer;
  private final ChannelConsumers consumers = new ChannelConsumers();
  private final ChannelTopology topology;
  private final ChannelSubscriptions subscriptions;

  private final ChannelDeliveries deliveries;
  private final ChannelSettlements settlements;
  private final ChannelCounters counters = new ChannelCounters();

  // Owner-thread state.
  private int consumerPrefetch;
  private final ChannelPublisher publisher;
  private final ChannelTransaction transaction;

  LocalChannel(
      LocalConnection connection, int number, VirtualHost virtualHost, ListenerMailbox mailbox) {
    this.connection = connection;
    this.number = number;
    this.virtualHost = virtualHost;
    this.mailbox = mailbox;
    MessageRouter router = new MessageRouter(virtualHost, mailbox, counters);
    this.replyConsumer = new ReplyConsumer(virtualHost.directReplyTo());
    this.topology = new ChannelTopology(connection, virtualHost);
    this.deliveries = new ChannelDeliveries(mailbox, counters);
    this.settlements = new ChannelSettlements(deliveries, consumers, counters, mailbox);
    this.subscriptions =
        new ChannelSubscriptions(
            connection, virtualHost, topology, deliveries, consumers, replyConsumer, mailbox, this);
    this.transaction =
        new ChannelTransaction(router, deliveries, settlements, mailbox, virtualHost.persistence());
    this.publisher =
        new ChannelPublisher(virtualHost, router, replyConsumer, transaction, counters, mailbox);
  }

  // --- topology (see ChannelTopology): the blocking methods wait for the non-blocking ones

  @Override
  public void declareExchange(ExchangeDeclaration declaration) {
    BrokerChannel.join(declareExchangeAsync(declaration));
  }

  @Override
  public CompletionStage<Void> declareExchangeAsync(ExchangeDeclaration declaration) {
    return topology.declareExchange(declaration);
  }

  @Override
  public void checkExchange(String name) {
    topology.checkExchange(name);
  }

  @Override
  public void deleteExchange(String name, boolean ifUnused) {
    BrokerChannel.join(deleteExchangeAsync(name, ifUnused));
  }

  @Override
  public CompletionStage<Void> deleteExchangeAsync(String name, boolean ifUnused) {
    return topology.deleteExchange(name, ifUnused);
  }

  @Override
  public QueueInfo declareQueue(QueueDeclaration declaration) {
    return BrokerChannel.join(declareQueueAsync(declaration));
  }

  @Override
  public CompletionStage<QueueInfo> declareQueueAsync(QueueDeclaration declaration) {
    return topology.declareQueue(declaration);
  }

  @Override
  public QueueInfo checkQueue(String name) {
    return topology.checkQueue(name);
  }

  @Override
  public CompletionStage<QueueInfo> checkQueueAsync(String name) {
    return topology.checkQueueAsync(name);
  }

  @Override
  public int deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
    return BrokerChannel.join(deleteQueueAsync(name, ifUnused, ifEmpty));
  }

  @Override
  public CompletionStage<Integer> deleteQueueAsync(String name, boolean ifUnused, boolean ifEmpty) {
    return topology.deleteQueue(name, ifUnused, ifEmpty);
  }

  @Override
  public int purgeQueue(String name) {
    return BrokerChannel.join(purgeQueueAsync(name));
  }

  @Override
  public CompletionStage<Integer> purgeQueueAsync(String name) {
    return topology.purgeQueue(name);
  }

  @Override
  public void bindQueue(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    BrokerChannel.join(bindQueueAsync(queue, exchange, routingKey, arguments));
  }

  @Override
  public CompletionStage<Void> bindQueueAsync(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    return topology.bindQueue(true, queue, exchange, routingKey, arguments);
  }

  @Override
  public void unbindQueue(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    BrokerChannel.join(unbindQueueAsync(queue, exchange, routingKey, arguments));
  }

  @Override
  public CompletionStage<Void> unbindQueueAsync(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    return topology.bindQueue(false, queue, exchange, routingKey, arguments);
  }

  @Override
  public void bindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    BrokerChannel.join(bindExchangeAsync(destination, source, routingKey, arguments));
  }

  @Override
  public CompletionStage<Void> bindExchangeAsync(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    return topology.bindExchange(true, destination, source, routingKey, arguments);
  }

  @Override
  public void unbindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    BrokerChannel.join(unbindExchangeAsync(destination, source, routingKey, arguments));
  }

  @Override
  public CompletionStage<Void> unbindExchangeAsync(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    return topology.bindExchange(false, destination, source, routingKey, arguments);
  }

  // --- publishing

  @Override
  public void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    publisher.publish(exchange, routingKey, mandatory, properties, body);
  }

  @Override
  public void publishForwarded(
      List<String> queues,
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body) {
    if (!connection.peer()) {
      throw new UnsupportedOperationException("only a cluster peer forwards publishes");
    }
    publisher.publishForwarded(queues, exchange, routingKey, properties, body);
  }

  // --- consuming

  @Override
  public String consume(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    return BrokerChannel.join(consumeAsync(queue, consumerTag, noAck, exclusive, arguments));
  }

  @Override
  public CompletionStage<String> consumeAsync(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    return subscriptions.consume(queue, consumerTag, noAck, exclusive, arguments, consumerPrefetch);
  }

  @Override
  public boolean cancel(String consumerTag) {
    return BrokerChannel.join(cancelAsync(consumerTag));
  }

  @Override
  public CompletionStage<Boolean> cancelAsync(String consumerTag) {
    return subscriptions.cancel(consumerTag);
  }

  @Override
  public Optional<GetResult> get(String queue, boolean noAck) {
    return BrokerChannel.join(getAsync(queue, noAck));
  }

  @Override
  public CompletionStage<Optional<GetResult>> getAsync(String queue, boolean noAck) {
    Queue source = virtualHost.queueForUse(topology.expandQueueName(queue), connection.owner());
    return source.takeAsync(noAck).thenApply(taken -> deliveries.got(source, taken, noAck));
  }

  @Override
  public void ack(long deliveryTag, boolean multiple) {
    settle(deliveries.take(deliveryTag, multiple), Settlement.ACK);
  }

  @Override
  public Optional<StoredMessageId> storedId(long deliveryTag) {
    return deliveries.storedId(deliveryTag, virtualHost.name());
  }

  @Override
  public void nack(long deliveryTag, boolean multiple, boolean requeue) {
    settle(
        deliveries.take(deliveryTag, multiple), requeue ? Settlement.REQUEUE : Settlement.DISCARD);
  }

  @Override
  public void reject(long deliveryTag, boolean requeue) {
    nack(deliveryTag, false, requeue);
  }

  @Override
  public void release(long deliveryTag) {
    // not part of a transaction: the client never saw the message
    settlements.apply(deliveries.take(deliveryTag, false), Settlement.RELEASE);
  }

  @Override
  public void recover(boolean requeue) {
    if (!requeue) {
      throw Rejections.recoverWithoutRequeue();
    }
    // Held-back deliveries go back too: posted now, they would overtake the requeued ones.
    List<Held> held = deliveries.takeHeld(null);
    settlements.apply(deliveries.takeAll(), Settlement.REQUEUE);
    ChannelSettlements.returnHeld(held);
  }

  private void settle(List<Unacked> messages, Settlement settlement) {
    if (publisher.transactional()) {
      transaction.settle(messages, settlement);
    } else {
      settlements.apply(messages, settlement);
    }
  }

  @Override
  public void qos(int prefetchCount, boolean global) {
    if (global) {
      deliveries.channelPrefetch(prefetchCount);
      settlements.creditChanged();
    } else {
      consumerPrefetch = prefetchCount;
    }
  }

  @Override
  public void flow(boolean active) {
    deliveries.flow(active);
    if (active) {
      consumers.dispatchAll();
    }
  }

  @Override
  public void resumeDeliveries() {
    consumers.dispatchAll();
  }

  // --- confirms and transactions

  @Override
  public void selectConfirms() {
    publisher.selectConfirms();
  }

  @Override
  public void selectTx() {
    publisher.selectTx();
  }

  @Override
  public void commitTx() {
    try {
      commitTxAsync().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof BrokerException refused ? refused : e;
    }
  }

  @Override
  public CompletionStage<Void> commitTxAsync() {
    if (!publisher.transactional()) {
      throw Rejections.notTransactional();
    }
    return transaction.commit();
  }

  @Override
  public void awaitStored() {
    StoreBarrier.await(virtualHost.persistence());
  }

  @Override
  public void rollbackTx() {
    if (!publisher.transactional()) {
      throw Rejections.notTransactional();
    }
    transaction.rollback();
  }

  @Override
  public void close() {
    List<Unacked> outstanding = deliveries.close();
    if (outstanding == null) {
      return;
    }
    List<Held> held = deliveries.takeHeld(null);
    replyConsumer.close();
    outstanding.addAll(transaction.close());
    // Requeued before the consumers go, so that a single active consumer's successor (or any
    // other consumer) gets them first, in order.
    settlements.apply(outstanding, Settlement.REQUEUE);
    subscriptions.detachAll();
    // after the detach, which cancels them on their owner: there they stay in the queue
    ChannelSettlements.returnHeld(held);
    connection.forget(this);
  }

  // --- listings (read from another thread: a moment's view, not a consistent one)

  ChannelSnapshot snapshot(ChannelStatistics statistics) {
    return new ChannelSnapshot(
        connection.client().details(),
        virtualHost.name(),
        connection.user(),
        number,
        publisher.confirming(),
        publisher.transactional(),
        consumerPrefetch,
        deliveries.channelPrefetch(),
        deliveries.unackedCount(),
        publisher.outstandingConfirms(),
        transaction.publishCount(),
        transaction.settlementCount(),
        subscriptions.count(),
        statistics);
  }

  int number() {
    return number;
  }

  ChannelCounters counters() {
    return counters;
  }

  List<Consumer> consumers() {
    return consumers.all();
  }

  void countUnacked(Map<Queue, long[]> counts) {
    deliveries.countUnacked(counts);
  }

  // --- DeliveryTarget: called by queues, with the queue's lock held (except flush)

  @Override
  public boolean tryReserve(Consumer consumer) {
    return deliveries.tryReserve(consumer);
  }

  @Override
  public boolean deliver(Consumer consumer, QueueEntry entry) {
    return deliveries.deliver(consumer, entry);
  }

  @Override
  public void flush() {
    mailbox.flush();
  }

  @Override
  public void cancelledByBroker(Consumer consumer) {
    subscriptions.cancelledByBroker(consumer);
  }

  @Override
  public void consumerFailed(Consumer consumer, BrokerException error) {
    subscriptions.consumerFailed(consumer, error);
  }
}
