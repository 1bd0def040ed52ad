package dev.warren.broker.engine.api;

import dev.warren.broker.protocol.BasicProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One channel of a {@link BrokerConnection}: topology operations, publishing, consuming and
 * acknowledgements, with the semantics of the AMQP 0-9-1 method of the same name. Every method
 * throws {@link BrokerException} carrying the reply code RabbitMQ would send. A channel is used by
 * one thread at a time (its owner's); deliveries may arrive on other threads.
 */
public interface BrokerChannel extends AutoCloseable {

  // --- topology

  void declareExchange(ExchangeDeclaration declaration);

  /** exchange.declare with passive=true: 404 if absent. */
  void checkExchange(String name);

  void deleteExchange(String name, boolean ifUnused);

  /** A declaration with an empty name gets a server-generated "amq.gen-..." name. */
  QueueInfo declareQueue(QueueDeclaration declaration);

  /** queue.declare with passive=true: 404 if absent, 405 if exclusive to another connection. */
  QueueInfo checkQueue(String name);

  /**
   * queue.declare with passive=true without blocking: a queue on another node answers from there.
   */
  default CompletionStage<QueueInfo> checkQueueAsync(String name) {
    return completedWith(() -> checkQueue(name));
  }

  /** Returns the number of messages deleted with the queue. */
  int deleteQueue(String name, boolean ifUnused, boolean ifEmpty);

  /** Returns the number of messages purged. */
  int purgeQueue(String name);

  /** queue.purge without blocking (a quorum queue answers once its log decided). */
  default CompletionStage<Integer> purgeQueueAsync(String name) {
    return completedWith(() -> purgeQueue(name));
  }

  void bindQueue(String queue, String exchange, String routingKey, Map<String, Object> arguments);

  void unbindQueue(String queue, String exchange, String routingKey, Map<String, Object> arguments);

  void bindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments);

  void unbindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments);

  // --- topology without blocking the caller: on a cluster a change is decided by the metadata
  // log, and the stage completes once a majority has it and this node applied it. The stage fails
  // with the BrokerException the blocking method would throw. The defaults run the blocking one.

  default CompletionStage<Void> declareExchangeAsync(ExchangeDeclaration declaration) {
    return completed(() -> declareExchange(declaration));
  }

  default CompletionStage<Void> deleteExchangeAsync(String name, boolean ifUnused) {
    return completed(() -> deleteExchange(name, ifUnused));
  }

  default CompletionStage<QueueInfo> declareQueueAsync(QueueDeclaration declaration) {
    return completedWith(() -> declareQueue(declaration));
  }

  default CompletionStage<Integer> deleteQueueAsync(
      String name, boolean ifUnused, boolean ifEmpty) {
    return completedWith(() -> deleteQueue(name, ifUnused, ifEmpty));
  }

  default CompletionStage<Void> bindQueueAsync(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    return completed(() -> bindQueue(queue, exchange, routingKey, arguments));
  }

  default CompletionStage<Void> unbindQueueAsync(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    return completed(() -> unbindQueue(queue, exchange, routingKey, arguments));
  }

  default CompletionStage<Void> bindExchangeAsync(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    return completed(() -> bindExchange(destination, source, routingKey, arguments));
  }

  default CompletionStage<Void> unbindExchangeAsync(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    return completed(() -> unbindExchange(destination, source, routingKey, arguments));
  }

  // --- publishing

  /**
   * Routes a message. An unroutable mandatory message comes back through {@link
   * ChannelListener#returned}; in confirm mode every publish is confirmed through {@link
   * ChannelListener#confirmed}. In transaction mode the publish takes effect at {@link #commitTx}.
   */
  void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body);

  /**
   * A publish that a cluster peer routed already (it has the bindings too): the message goes into
   * the named queues of this node, keeping the exchange and routing key it was published with. Only
   * channels of a {@link Broker#connectPeer} connection take it.
   */
  default void publishForwarded(
      List<String> queues,
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body) {
    throw new UnsupportedOperationException("not a cluster peer's channel");
  }

  // --- consuming

  /**
   * Starts a consumer. An empty tag gets a server-generated "amq.ctag-..." tag.
   *
   * @return the consumer tag
   */
  String consume(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments);

  /**
   * basic.consume without blocking: a classic queue on another cluster node answers once that node
   * registered the consumer (or refused it), so that consume-ok follows only an accepted consumer.
   * The stage fails with the BrokerException the blocking method would throw.
   */
  default CompletionStage<String> consumeAsync(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    return completedWith(() -> consume(queue, consumerTag, noAck, exclusive, arguments));
  }

  /** Returns false if no consumer had that tag (cancelling it is then a no-op, as in RabbitMQ). */
  boolean cancel(String consumerTag);

  /**
   * basic.cancel without blocking: completes once no delivery to the consumer can follow (for a
   * queue on another cluster node, once that node cancelled it), when cancel-ok may be sent.
   */
  default CompletionStage<Boolean> cancelAsync(String consumerTag) {
    return completedWith(() -> cancel(consumerTag));
  }

  Optional<GetResult> get(String queue, boolean noAck);

  /** basic.get without blocking (a quorum queue answers once its log decided). */
  default CompletionStage<Optional<GetResult>> getAsync(String queue, boolean noAck) {
    return completedWith(() -> get(queue, noAck));
  }

  void ack(long deliveryTag, boolean multiple);

  /**
   * Where an unacknowledged delivery of this channel is stored, if it would be recovered after a
   * restart: a persistent message in a durable classic queue that is neither exclusive nor
   * auto-delete. Empty otherwise (a transient message or queue, a quorum queue, a remote broker),
   * and for a tag that is not outstanding.
   */
  default Optional<StoredMessageId> storedId(long deliveryTag) {
    return Optional.empty();
  }

  void nack(long deliveryTag, boolean multiple, boolean requeue);

  void reject(long deliveryTag, boolean requeue);

  /**
   * Puts back a delivery whose message never reached the client (it waited on the consumer's node
   * for channel credit): back in its queue as it was, neither flagged redelivered nor counted as a
   * delivery attempt. A broker that cannot tell requeues it.
   */
  default void release(long deliveryTag) {
    reject(deliveryTag, true);
  }

  /** Redelivers (requeue=true) or resends (requeue=false) every unacknowledged message. */
  void recover(boolean requeue);

  /** basic.qos: per-consumer limit for consumers created after it, or channel-wide if global. */
  void qos(int prefetchCount, boolean global);

  /** channel.flow: while inactive, no deliveries are made to this channel's consumers. */
  void flow(boolean active);

  /** The owner became ready to receive again (see {@link ChannelListener#ready()}). */
  void resumeDeliveries();

  // --- confirms and transactions

  void selectConfirms();

  void selectTx();

  /** tx.commit, returning once the committed work is on disk (for in-VM callers). */
  void commitTx();

  /**
   * tx.commit without blocking the caller: the work is applied at once and the stage completes when
   * it is on disk (the durable store's fsync), which is when commit-ok may be sent. Throws like
   * {@link #commitTx} if the channel is not transactional.
   */
  default java.util.concurrent.CompletionStage<Void> commitTxAsync() {
    commitTx();
    return java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  void rollbackTx();

  /**
   * Returns once the acknowledgements and persistent publishes this channel made so far are on disk
   * (at once without a store), as a transaction manager needs before a branch it committed may be
   * forgotten. Throws {@link BrokerException} (541) if the store could not write them.
   */
  void awaitStored();

  /** Cancels consumers and requeues every unacknowledged message. Idempotent. */
  @Override
  void close();

  /** A stage completed by running {@code action} now: failed if it throws. */
  static CompletionStage<Void> completed(Runnable action) {
    return completedWith(
        () -> {
          action.run();
          return null;
        });
  }

  /** A stage completed with what {@code action} returns now: failed if it throws. */
  static <T> CompletionStage<T> completedWith(Supplier<T> action) {
    try {
      return CompletableFuture.completedFuture(action.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Waits for a stage of one of the methods above and returns its value, rethrowing its
   * BrokerException as such: how the blocking methods are built on the non-blocking ones.
   */
  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
