package dev.warren.rar.adapter.outbound;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.rar.adapter.MessageConversion;
import dev.warren.rar.api.AmqpException;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.MessageProperties;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request/reply exchange, the RabbitMQ tutorial's RPC client: a private auto-deleted reply
 * queue, a fresh correlation id, and a wait for the reply that carries it.
 */
final class RpcCall implements ChannelListener {
  private final BrokerConnection connection;
  private final CompletableFuture<AmqpMessage> reply = new CompletableFuture<>();
  private final String correlationId = UUID.randomUUID().toString();

  RpcCall(BrokerConnection connection) {
    this.connection = connection;
  }

  AmqpMessage call(
      String exchange,
      String routingKey,
      MessageProperties properties,
      byte[] body,
      Duration timeout) {
    try (BrokerChannel channel = connection.openChannel(this)) {
      String replyQueue =
          channel.declareQueue(new QueueDeclaration("", false, true, true, null)).name();
      channel.consume(replyQueue, "", true, true, null);
      MessageProperties request =
          (properties == null ? MessageProperties.EMPTY : properties)
              .toBuilder().replyTo(replyQueue).correlationId(correlationId).build();
      channel.publish(exchange, routingKey, false, MessageConversion.toEngine(request), body);
      try {
        return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        channel.deleteQueue(replyQueue, false, false);
      }
    } catch (TimeoutException e) {
      throw new AmqpException(0, "no reply within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AmqpException(0, "interrupted while waiting for the reply", e);
    } catch (ExecutionException e) {
      throw new AmqpException(0, "the reply failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void deliver(Delivery delivery) {
    MessageProperties props = MessageConversion.toApi(delivery.properties());
    // a late reply to an earlier call on the same queue name is ignored, as in the tutorial
    if (Objects.equals(props.correlationId(), correlationId)) {
      reply.complete(
          new AmqpMessage(
              delivery.exchange(),
              delivery.routingKey(),
              delivery.redelivered(),
              1,
              props,
              delivery.body()));
    }
  }

  @Override
  public void returned(ReturnedMessage message) {
    // the request is not mandatory
  }

  @Override
  public void confirmed(long seqNo, boolean multiple, boolean ack) {
    // the rpc channel is not in confirm mode
  }

  @Override
  public void consumerCancelled(String consumerTag) {
    reply.completeExceptionally(new AmqpException(0, "the reply queue was deleted", null));
  }
}
