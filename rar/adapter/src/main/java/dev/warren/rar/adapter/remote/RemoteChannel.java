package dev.warren.rar.adapter.remote;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueInfo;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.ReplyCode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An engine-API channel over RabbitMQ's Java client, so that the adapter's inbound and outbound
 * code runs unchanged against a remote broker. Failures become {@link BrokerException}s with the
 * broker's reply code and text; {@link RecoverableChannel} keeps the client channel usable.
 */
final class RemoteChannel implements BrokerChannel {
  private final ConfirmNumbers confirmNumbers = new ConfirmNumbers();
  private final RecoverableChannel client;

  RemoteChannel(
      Connection connection,
      ChannelListener listener,
      ScheduledExecutorService reopener,
      Duration reopenDelay) {
    this.client =
        new RecoverableChannel(connection, listener, confirmNumbers, reopener, reopenDelay);
  }

  // --- topology

  @Override
  public void declareExchange(ExchangeDeclaration d) {
    client.call(
        c ->
            c.exchangeDeclare(
                d.name(),
                d.type(),
                d.durable(),
                d.autoDelete(),
                d.internal(),
                ClientProperties.tableToClient(d.arguments())));
  }

  @Override
  public void checkExchange(String name) {
    client.call(c -> c.exchangeDeclarePassive(name));
  }

  @Override
  public void deleteExchange(String name, boolean ifUnused) {
    client.call(c -> c.exchangeDelete(name, ifUnused));
  }

  @Override
  public QueueInfo declareQueue(QueueDeclaration d) {
    AMQP.Queue.DeclareOk ok =
        client.call(
            c ->
                c.queueDeclare(
                    d.name(),
                    d.durable(),
                    d.exclusive(),
                    d.autoDelete(),
                    ClientProperties.tableToClient(d.arguments())));
    return new QueueInfo(ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount());
  }

  @Override
  public QueueInfo checkQueue(String name) {
    AMQP.Queue.DeclareOk ok = client.call(c -> c.queueDeclarePassive(name));
    return new QueueInfo(ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount());
  }

  @Override
  public int deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
    return client.call(c -> c.queueDelete(name, ifUnused, ifEmpty)).getMessageCount();
  }

  @Override
  public int purgeQueue(String name) {
    return client.call(c -> c.queuePurge(name)).getMessageCount();
  }

  @Override
  public void bindQueue(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    client.call(
        c -> c.queueBind(queue, exchange, routingKey, ClientProperties.tableToClient(arguments)));
  }

  @Override
  public void unbindQueue(
      String queue, String exchange, String routingKey, Map<String, Object> arguments) {
    client.call(
        c -> c.queueUnbind(queue, exchange, routingKey, ClientProperties.tableToClient(arguments)));
  }

  @Override
  public void bindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    client.call(
        c ->
            c.exchangeBind(
                destination, source, routingKey, ClientProperties.tableToClient(arguments)));
  }

  @Override
  public void unbindExchange(
      String destination, String source, String routingKey, Map<String, Object> arguments) {
    client.call(
        c ->
            c.exchangeUnbind(
                destination, source, routingKey, ClientProperties.tableToClient(arguments)));
  }

  // --- publishing

  @Override
  public void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    AMQP.BasicProperties clientProperties = ClientProperties.toClient(properties);
    client.call(
        c -> {
          if (!client.confirms()) {
            c.basicPublish(exchange, routingKey, mandatory, clientProperties, body);
            return null;
          }
          long clientSeqNo = c.getNextPublishSeqNo();
          long own = confirmNumbers.expect(clientSeqNo);
          try {
            c.basicPublish(exchange, routingKey, mandatory, clientProperties, body);
          } catch (IOException | RuntimeException e) {
            confirmNumbers.failed(clientSeqNo);
            throw e;
          }
          confirmNumbers.published(own);
          return null;
        });
  }

  // --- consuming

  @Override
  public String consume(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    return client.consume(
        new RecoverableChannel.ConsumerSpec(queue, noAck, exclusive, arguments), consumerTag);
  }

  @Override
  public boolean cancel(String consumerTag) {
    return client.cancel(consumerTag);
  }

  @Override
  public Optional<GetResult> get(String queue, boolean noAck) {
    GetResponse response = client.call(c -> c.basicGet(queue, noAck));
    if (response == null) {
      return Optional.empty();
    }
    Envelope envelope = response.getEnvelope();
    return Optional.of(
        new GetResult(
            envelope.getDeliveryTag(),
            envelope.isRedeliver(),
            envelope.getExchange(),
            envelope.getRoutingKey(),
            response.getMessageCount(),
            ClientProperties.toEngine(response.getProps()),
            response.getBody()));
  }

  @Override
  public void ack(long deliveryTag, boolean multiple) {
    client.call(
        c -> {
          c.basicAck(deliveryTag, multiple);
          return null;
        });
  }

  @Override
  public void nack(long deliveryTag, boolean multiple, boolean requeue) {
    client.call(
        c -> {
          c.basicNack(deliveryTag, multiple, requeue);
          return null;
        });
  }

  @Override
  public void reject(long deliveryTag, boolean requeue) {
    client.call(
        c -> {
          c.basicReject(deliveryTag, requeue);
          return null;
        });
  }

  @Override
  public void recover(boolean requeue) {
    client.call(c -> c.basicRecover(requeue));
  }

  @Override
  public void qos(int prefetchCount, boolean global) {
    client.qos(prefetchCount, global);
  }

  /** RabbitMQ refuses channel.flow from clients, and the Java client no longer sends it. */
  @Override
  public void flow(boolean active) {
    throw new BrokerException(
        ReplyCode.NOT_IMPLEMENTED, "channel.flow is not available on a remote broker");
  }

  /** The remote broker pushes within the prefetch; there is nothing to resume. */
  @Override
  public void resumeDeliveries() {}

  // --- confirms and transactions

  @Override
  public void selectConfirms() {
    client.selectConfirms();
  }

  @Override
  public void selectTx() {
    client.selectTx();
  }

  @Override
  public void commitTx() {
    client.call(Channel::txCommit);
  }

  @Override
  public void rollbackTx() {
    client.call(Channel::txRollback);
  }

  /**
   * A round trip after what this channel sent: the broker processes a channel's methods in order,
   * so when the answer comes it has the acks and publishes before it. Whether it has written them
   * to disk the client cannot know; a remote broker that crashes right after may deliver an
   * acknowledged message again.
   */
  @Override
  public void awaitStored() {
    client.call(c -> c.exchangeDeclarePassive("amq.direct"));
  }

  @Override
  public void close() {
    client.close();
  }
}
