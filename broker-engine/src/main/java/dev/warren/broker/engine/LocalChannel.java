package dev.warren.broker.engine;

import dev.warren.broker.engine.ChannelDeliveries.Held;
import dev.warren.broker.engine.ChannelTransaction.PendingPublish;
import dev.warren.broker.engine.ListenerMailbox.Cancellation;
import dev.warren.broker.engine.ListenerMailbox.Failure;
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
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.GeneratedNames;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.MessageExpiry;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.Settlement;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.BasicProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A channel of a {@link LocalConnection}. Its owner calls it from one thread at a time; queues call
 * its {@link DeliveryTarget} side from any thread, which {@link ChannelDeliveries} serves.
 */
final class LocalChannel implements BrokerChannel, DeliveryTarget {
  private enum Mode {
    PLAIN,
    CONFIRM,
    TX
  }

  private final LocalConnection connection;
  private final int number;
  private final VirtualHost virtualHost;
  private final ListenerMailbox mailbox;
  private final MessageRouter router;
  private final ReplyConsumer replyConsumer;
  private final ChannelConsumers consumers = new ChannelConsumers();
  private final ChannelTopology topology;

  private final ChannelDeliveries deliveries;
  private final ChannelSettlements settlements;
  private final ChannelCounters counters = new ChannelCounters();

  // Owner-thread state.
  private int consumerPrefetch;
  private Mode mode = Mode.PLAIN;
  private final PublisherConfirms confirms;
  private final ChannelTransaction transaction = new ChannelTransaction();

  LocalChannel(
      LocalConnection connection, int number, VirtualHost virtualHost, ListenerMailbox mailbox) {
    this.connection = connection;
    this.number = number;
    this.virtualHost = virtualHost;
    this.mailbox = mailbox;
    this.router = new MessageRouter(virtualHost, mailbox, counters);
    this.replyConsumer = new ReplyConsumer(virtualHost.directReplyTo());
    this.topology = new ChannelTopology(connection, virtualHost);
    this.confirms = new PublisherConfirms(mailbox, counters);
    this.deliveries = new ChannelDeliveries(mailbox, counters);
    this.settlements = new ChannelSettlements(deliveries, consumers, counters, mailbox);
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
    Exchange target = virtualHost.exchangeForPublish(exchange);
    counters.published(body == null ? 0 : body.length, mode == Mode.CONFIRM);
    BasicProperties given = properties == null ? BasicProperties.EMPTY : properties;
    MessageExpiry.validate(given);
    Message message = new Message(exchange, routingKey, replyConsumer.rewriteReplyTo(given), body);
    if (mode == Mode.TX) {
      transaction.publish(target, message, mandatory);
      return;
    }
    if (mode == Mode.CONFIRM) {
      // Confirmed once every queue holds the message and a stored copy is on disk.
      PublisherConfirms.Pending pending = confirms.next();
      MessageRouter.Routed routed = router.route(target, message, mandatory, pending);
      pending.routed(routed.accepted(), routed.stored());
      return;
    }
    router.route(target, message, mandatory);
    mailbox.flush();
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
    List<Queue> targets = new ArrayList<>(queues.size());
    for (String name : queues) {
      Queue queue = virtualHost.queue(name);
      if (queue != null && !queue.keptElsewhere()) {
        targets.add(queue); // a queue deleted meanwhile takes nothing, as RabbitMQ's would
      }
    }
    counters.published(body == null ? 0 : body.length, mode == Mode.CONFIRM);
    Message message =
        new Message(
            exchange, routingKey, properties == null ? BasicProperties.EMPTY : properties, body);
    if (mode == Mode.CONFIRM) {
      PublisherConfirms.Pending pending = confirms.next();
      MessageRouter.Routed routed = router.enqueue(targets, message, pending);
      pending.routed(routed.accepted(), routed.stored());
      return;
    }
    router.enqueue(targets, message, null);
    mailbox.flush();
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

  /** A queue on another node answers on its link's thread; every other queue at once. */
  @Override
  public CompletionStage<String> consumeAsync(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    String tag = consumerTag.isEmpty() ? GeneratedNames.consumerTag() : consumerTag;
    if (consumers.contains(tag) || tag.equals(replyConsumer.tag())) {
      throw Rejections.consumerTagReused(tag);
    }
    if (ReplyConsumer.isPseudoQueue(queue)) {
      return CompletableFuture.completedFuture(
          replyConsumer.consume(tag, noAck, this::deliverReply));
    }
    Queue source = virtualHost.queueForUse(topology.expandQueueName(queue), connection.owner());
    if (source.replicated() && deliveries.channelPrefetch() > 0) {
      // as RabbitMQ: the log hands out deliveries per consumer, so no limit spans a channel
      throw Rejections.globalQosUnsupported(virtualHost.name(), source.name());
    }
    Consumer consumer =
        new Consumer(tag, source, this, noAck, exclusive, consumerPrefetch, arguments);
    return source
        .addConsumerAsync(consumer)
        .thenApply(
            registered -> {
              consumers.add(consumer);
              if (deliveries.closed() && consumers.remove(consumer)) {
                detach(consumer); // the channel closed while the queue's node answered
                return tag;
              }
              // Not on this thread: the caller must be able to answer consume-ok first.
              connection.dispatchLater(source);
              return tag;
            });
  }

  @Override
  public boolean cancel(String consumerTag) {
    return BrokerChannel.join(cancelAsync(consumerTag));
  }

  @Override
  public CompletionStage<Boolean> cancelAsync(String consumerTag) {
    if (replyConsumer.cancel(consumerTag)) {
      return CompletableFuture.completedFuture(true);
    }
    Consumer consumer = consumers.remove(consumerTag);
    if (consumer == null) {
      return CompletableFuture.completedFuture(false);
    }
    return consumer
        .queue()
        .removeConsumerAsync(consumer)
        .thenApply(
            abandoned -> {
              // the owner cancelled it, so nothing arrives after what it holds back now
              ChannelSettlements.returnHeld(deliveries.takeHeld(consumer));
              detached(consumer, abandoned);
              // Deliveries the queue handed over before the detach reach the listener first.
              mailbox.flushPostedSoFar();
              return true;
            });
  }

  private void detach(Consumer consumer) {
    detached(consumer, consumer.queue().removeConsumer(consumer));
  }

  private void detached(Consumer consumer, boolean abandoned) {
    if (abandoned) {
      virtualHost.deleteIfAbandoned(consumer.queue());
    } else {
      // the next single active consumer, or a lower-priority one, may now take messages
      consumer.queue().dispatch();
    }
  }

  /** A direct reply-to reply for this channel's reply consumer; false once the channel closed. */
  private boolean deliverReply(Message reply) {
    if (!deliveries.deliverReply(replyConsumer.tag(), reply)) {
      return false;
    }
    mailbox.flush();
    return true;
  }

  @Override
  public Optional<GetResult> get(String queue, boolean noAck) {
    return BrokerChannel.join(getAsync(queue, noAck));
  }

  @Override
  public CompletionStage<Optional<GetResult>> getAsync(String queue, boolean noAck) {
    Queue source = virtualHost.queueForUse(topology.expandQueueName(queue), connection.owner());
    return source.takeAsync(noAck).thenApply(taken -> got(source, taken, noAck));
  }

  private Optional<GetResult> got(Queue source, Queue.Taken taken, boolean noAck) {
    if (taken == null) {
      deliveries.foundEmpty();
      return Optional.empty();
    }
    QueueEntry entry = taken.entry();
    long tag = deliveries.got(entry, source, noAck);
    if (noAck) {
      source.released(entry);
    }
    Message message = entry.message();
    return Optional.of(
        new GetResult(
            tag,
            entry.redelivered(),
            message.exchange(),
            message.routingKey(),
            taken.remaining(),
            message.properties(),
            message.body()));
  }

  @Override
  public void ack(long deliveryTag, boolean multiple) {
    settle(takeUnacked(deliveryTag, multiple), Settlement.ACK);
  }

  @Override
  public Optional<StoredMessageId> storedId(long deliveryTag) {
    Unacked delivered = deliveries.find(deliveryTag);
    if (delivered == null) {
      return Optional.empty();
    }
    long storeId = delivered.entry().message().storeId();
    Queue queue = delivered.queue();
    boolean recovered =
        storeId != 0
            && queue.durable()
            && !queue.autoDelete()
            && queue.exclusiveOwner() == null
            && !queue.replicated();
    return recovered
        ? Optional.of(new StoredMessageId(virtualHost.name(), queue.name(), storeId))
        : Optional.empty();
  }

  @Override
  public void nack(long deliveryTag, boolean multiple, boolean requeue) {
    settle(takeUnacked(deliveryTag, multiple), requeue ? Settlement.REQUEUE : Settlement.DISCARD);
  }

  @Override
  public void reject(long deliveryTag, boolean requeue) {
    nack(deliveryTag, false, requeue);
  }

  @Override
  public void release(long deliveryTag) {
    // not part of a transaction: the client never saw the message
    settlements.apply(takeUnacked(deliveryTag, false), Settlement.RELEASE);
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

  private List<Unacked> takeUnacked(long deliveryTag, boolean multiple) {
    return deliveries.take(deliveryTag, multiple);
  }

  private void settle(List<Unacked> messages, Settlement settlement) {
    if (mode == Mode.TX) {
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
    if (mode == Mode.TX) {
      throw Rejections.txToConfirm();
    }
    mode = Mode.CONFIRM;
  }

  @Override
  public void selectTx() {
    if (mode == Mode.CONFIRM) {
      throw Rejections.confirmToTx();
    }
    mode = Mode.TX;
  }

  @Override
  public void commitTx() {
    try {
      commitTxAsync().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof BrokerException refused ? refused : e;
    }
  }

  /**
   * Applies the transaction now; the stage completes once its persistent publishes and its acks are
   * on disk (at once without a store).
   */
  @Override
  public CompletionStage<Void> commitTxAsync() {
    if (mode != Mode.TX) {
      throw Rejections.notTransactional();
    }
    CommitDurability durability = new CommitDurability();
    for (PendingPublish publish : transaction.publishes()) {
      router.route(
          publish.exchange(), publish.message(), publish.mandatory(), durability.publishes);
    }
    settlements.applyCommitted(transaction.settlements());
    boolean touchedStore =
        !transaction.publishes().isEmpty() || !transaction.settlements().isEmpty();
    transaction.clear();
    // Returns of the committed publishes precede commit-ok.
    mailbox.flushPostedSoFar();
    return touchedStore
        ? durability.await(virtualHost.persistence())
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public void awaitStored() {
    StoreBarrier.await(virtualHost.persistence());
  }

  /** Discards buffered publishes and settlements; delivered messages stay delivered. */
  @Override
  public void rollbackTx() {
    if (mode != Mode.TX) {
      throw Rejections.notTransactional();
    }
    deliveries.restore(transaction.settledMessages());
    transaction.clear();
  }

  @Override
  public void close() {
    List<Unacked> outstanding = deliveries.close();
    if (outstanding == null) {
      return;
    }
    List<Held> held = deliveries.takeHeld(null);
    replyConsumer.close();
    outstanding.addAll(transaction.settledMessages());
    transaction.clear();
    // Requeued before the consumers go, so that a single active consumer's successor (or any
    // other consumer) gets them first, in order.
    settlements.apply(outstanding, Settlement.REQUEUE);
    for (Consumer consumer : consumers.removeAll()) {
      detach(consumer);
    }
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
        mode == Mode.CONFIRM,
        mode == Mode.TX,
        consumerPrefetch,
        deliveries.channelPrefetch(),
        deliveries.unackedCount(),
        confirms.outstanding(),
        transaction.publishes().size(),
        transaction.settlements().size(),
        consumers.all().size() + (replyConsumer.tag() == null ? 0 : 1),
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
    if (consumers.remove(consumer)) {
      mailbox.post(new Cancellation(consumer.tag()));
      mailbox.flush();
    }
    ChannelSettlements.returnHeld(deliveries.takeHeld(consumer));
  }

  @Override
  public void consumerFailed(Consumer consumer, BrokerException error) {
    if (consumers.remove(consumer)) {
      mailbox.post(new Failure(consumer.tag(), error));
      mailbox.flush();
    }
  }
}
