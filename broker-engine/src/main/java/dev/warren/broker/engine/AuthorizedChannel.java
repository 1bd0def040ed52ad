package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueInfo;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.model.GeneratedNames;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.security.AccessControl;
import dev.warren.broker.security.AccessControl.Resource;
import dev.warren.broker.security.Permission.Kind;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A channel as one user sees it: each operation first asks {@link AccessControl} for the
 * permissions RabbitMQ's access-control table requires, then goes to the channel underneath. The
 * user_id property is checked here too, so in-VM clients obey the same rules as AMQP clients.
 */
final class AuthorizedChannel implements BrokerChannel {
  private static final String ALTERNATE_EXCHANGE = "alternate-exchange";
  private static final String DEAD_LETTER_EXCHANGE = "x-dead-letter-exchange";

  private final BrokerChannel channel;
  private final AccessControl access;
  private final String user;
  private final String virtualHost;

  /**
   * Mirrors the channel's own "empty name means last declared queue" so the right name is checked.
   */
  private String lastDeclaredQueue = "";

  /**
   * The exchange this channel last published to with permission, and the version of the grants that
   * permitted it. Publishers mostly publish to one exchange, and a regex match per message is
   * measurable; the success is remembered until the grants change (RabbitMQ's channel caches its
   * checks too, but longer: Warren refuses the first publish after a revocation).
   */
  private String permittedPublishExchange;

  private long permittedAtVersion;

  AuthorizedChannel(BrokerChannel channel, AccessControl access, String user, String virtualHost) {
    this.channel = channel;
    this.access = access;
    this.user = user;
    this.virtualHost = virtualHost;
  }

  // --- topology: each change is checked once, then goes the blocking or non-blocking way

  @Override
  public void declareExchange(ExchangeDeclaration declaration) {
    checkDeclare(declaration);
    channel.declareExchange(declaration);
  }

  @Override
  public CompletionStage<Void> declareExchangeAsync(ExchangeDeclaration declaration) {
    checkDeclare(declaration);
    return channel.declareExchangeAsync(declaration);
  }

  private void checkDeclare(ExchangeDeclaration declaration) {
    require(Kind.CONFIGURE, Resource.EXCHANGE, declaration.name());
    String alternate = argument(declaration.arguments(), ALTERNATE_EXCHANGE);
    if (alternate != null) {
      require(Kind.READ, Resource.EXCHANGE, declaration.name());
      require(Kind.WRITE, Resource.EXCHANGE, alternate);
    }
  }

  @Override
  public void checkExchange(String name) {
    channel.checkExchange(name); // passive: no permission needed
  }

  @Override
  public void deleteExchange(String name, boolean ifUnused) {
    require(Kind.CONFIGURE, Resource.EXCHANGE, name);
    channel.deleteExchange(name, ifUnused);
  }

  @Override
  public CompletionStage<Void> deleteExchangeAsync(String name, boolean ifUnused) {
    require(Kind.CONFIGURE, Resource.EXCHANGE, name);
    return channel.deleteExchangeAsync(name, ifUnused);
  }

  @Override
  public QueueInfo declareQueue(QueueDeclaration declaration) {
    QueueInfo info = channel.declareQueue(checkDeclare(declaration));
    lastDeclaredQueue = info.name();
    return info;
  }

  @Override
  public CompletionStage<QueueInfo> declareQueueAsync(QueueDeclaration declaration) {
    return channel
        .declareQueueAsync(checkDeclare(declaration))
        .thenApply(
            info -> {
              lastDeclaredQueue = info.name();
              return info;
            });
  }

  /**
   * RabbitMQ checks a server-named queue under its generated name. The name is only generated
   * inside the virtual host, so the check uses a fresh name of the same form ("amq.gen-" and 22
   * random characters): a pattern that tells two such names apart would be matching randomness.
   */
  private QueueDeclaration checkDeclare(QueueDeclaration declaration) {
    String name = declaration.name().isEmpty() ? GeneratedNames.queueName() : declaration.name();
    require(Kind.CONFIGURE, Resource.QUEUE, name);
    String deadLetter = argument(declaration.arguments(), DEAD_LETTER_EXCHANGE);
    if (deadLetter != null) {
      require(Kind.READ, Resource.QUEUE, name);
      require(Kind.WRITE, Resource.EXCHANGE, deadLetter);
    }
    return declaration;
  }

  @Override
  public QueueInfo checkQueue(String name) {
    QueueInfo info = channel.checkQueue(name); // passive: no permission needed
    lastDeclaredQueue = info.name();
    return info;
  }

  @Override
  public CompletionStage<QueueInfo> checkQueueAsync(String name) {
    // passive: no permission needed
    return channel
        .checkQueueAsync(name)
        .thenApply(
            info -> {
              lastDeclaredQueue = info.name();
              return info;
            });
  }

  @Override
  public int deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
    require(Kind.CONFIGURE, Resource.QUEUE, queueName(name));
    return channel.deleteQueue(name, ifUnused, ifEmpty);
  }

  @Override
  public CompletionStage<Integer> deleteQueueAsync(String name, boolean ifUnused, boolean ifEmpty) {
    require(Kind.CONFIGURE, Resource.QUEUE, queueName(name));
    return channel.deleteQueueAsync(name, ifUnused, ifEmpty);
  }

  @Override
  public int purgeQueue(String name) {
    require(Kind.READ, Resource.QUEUE, queueName(name));
    return channel.purgeQueue(name);
  }

  @Override
  public CompletionStage<Integer> purgeQueueAsync(String name) {
    require(Kind.READ, Resource.QUEUE, queueName(name));
    return channel.purgeQueueAsync(name);
  }

  @Override
  public void bindQueue(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    checkQueueBinding(queue, exchange);
    channel.bindQueue(queue, exchange, routingKey, arguments);
  }

  @Override
  public CompletionStage<Void> bindQueueAsync(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    checkQueueBinding(queue, exchange);
    return channel.bindQueueAsync(queue, exchange, routingKey, arguments);
  }

  @Override
  public void unbindQueue(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    checkQueueBinding(queue, exchange);
    channel.unbindQueue(queue, exchange, routingKey, arguments);
  }

  @Override
  public CompletionStage<Void> unbindQueueAsync(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    checkQueueBinding(queue, exchange);
    return channel.unbindQueueAsync(queue, exchange, routingKey, arguments);
  }

  private void checkQueueBinding(String queue, String exchange) {
    require(Kind.WRITE, Resource.QUEUE, queueName(queue));
    require(Kind.READ, Resource.EXCHANGE, exchange);
  }

  @Override
  public void bindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    checkExchangeBinding(destination, source);
    channel.bindExchange(destination, source, routingKey, arguments);
  }

  @Override
  public CompletionStage<Void> bindExchangeAsync(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    checkExchangeBinding(destination, source);
    return channel.bindExchangeAsync(destination, source, routingKey, arguments);
  }

  @Override
  public void unbindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    checkExchangeBinding(destination, source);
    channel.unbindExchange(destination, source, routingKey, arguments);
  }

  @Override
  public CompletionStage<Void> unbindExchangeAsync(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    checkExchangeBinding(destination, source);
    return channel.unbindExchangeAsync(destination, source, routingKey, arguments);
  }

  private void checkExchangeBinding(String destination, String source) {
    require(Kind.WRITE, Resource.EXCHANGE, destination);
    require(Kind.READ, Resource.EXCHANGE, source);
  }

  // --- publishing and consuming

  @Override
  public void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    long version = access.version();
    if (!exchange.equals(permittedPublishExchange) || version != permittedAtVersion) {
      require(Kind.WRITE, Resource.EXCHANGE, exchange);
      permittedPublishExchange = exchange;
      permittedAtVersion = version;
    }
    if (properties != null && properties.userId() != null && !properties.userId().equals(user)) {
      throw BrokerException.preconditionFailed(
          "user_id property set to '%s' but authenticated user was '%s'"
              .formatted(properties.userId(), user));
    }
    channel.publish(exchange, routingKey, mandatory, properties, body);
  }

  @Override
  public String consume(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    require(Kind.READ, Resource.QUEUE, queueName(queue));
    return channel.consume(queue, consumerTag, noAck, exclusive, arguments);
  }

  @Override
  public CompletionStage<String> consumeAsync(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    require(Kind.READ, Resource.QUEUE, queueName(queue));
    return channel.consumeAsync(queue, consumerTag, noAck, exclusive, arguments);
  }

  @Override
  public Optional<GetResult> get(String queue, boolean noAck) {
    require(Kind.READ, Resource.QUEUE, queueName(queue));
    return channel.get(queue, noAck);
  }

  @Override
  public CompletionStage<Optional<GetResult>> getAsync(String queue, boolean noAck) {
    require(Kind.READ, Resource.QUEUE, queueName(queue));
    return channel.getAsync(queue, noAck);
  }

  // --- the rest needs no permission beyond having the channel

  @Override
  public boolean cancel(String consumerTag) {
    return channel.cancel(consumerTag);
  }

  @Override
  public CompletionStage<Boolean> cancelAsync(String consumerTag) {
    return channel.cancelAsync(consumerTag);
  }

  @Override
  public void ack(long deliveryTag, boolean multiple) {
    channel.ack(deliveryTag, multiple);
  }

  @Override
  public Optional<StoredMessageId> storedId(long deliveryTag) {
    return channel.storedId(deliveryTag);
  }

  @Override
  public void nack(long deliveryTag, boolean multiple, boolean requeue) {
    channel.nack(deliveryTag, multiple, requeue);
  }

  @Override
  public void reject(long deliveryTag, boolean requeue) {
    channel.reject(deliveryTag, requeue);
  }

  @Override
  public void release(long deliveryTag) {
    channel.release(deliveryTag);
  }

  @Override
  public void recover(boolean requeue) {
    channel.recover(requeue);
  }

  @Override
  public void qos(int prefetchCount, boolean global) {
    channel.qos(prefetchCount, global);
  }

  @Override
  public void flow(boolean active) {
    channel.flow(active);
  }

  @Override
  public void resumeDeliveries() {
    channel.resumeDeliveries();
  }

  @Override
  public void selectConfirms() {
    channel.selectConfirms();
  }

  @Override
  public void selectTx() {
    channel.selectTx();
  }

  @Override
  public void commitTx() {
    channel.commitTx();
  }

  @Override
  public CompletionStage<Void> commitTxAsync() {
    return channel.commitTxAsync();
  }

  @Override
  public void rollbackTx() {
    channel.rollbackTx();
  }

  @Override
  public void awaitStored() {
    channel.awaitStored();
  }

  @Override
  public void close() {
    channel.close();
  }

  private void require(Kind kind, Resource resource, String name) {
    access.check(user, virtualHost, kind, resource, name);
  }

  /** An empty name is the last declared queue; with none the channel itself answers 404. */
  private String queueName(String name) {
    return name.isEmpty() ? lastDeclaredQueue : name;
  }

  private static String argument(Map<String, Object> arguments, String name) {
    Object value = arguments.get(name);
    return value == null ? null : value.toString();
  }
}
