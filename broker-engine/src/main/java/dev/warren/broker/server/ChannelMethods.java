package dev.warren.broker.server;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueInfo;
import dev.warren.broker.model.DirectReplyTo;
import dev.warren.broker.protocol.AccessMethod;
import dev.warren.broker.protocol.AmqpMethod;
import dev.warren.broker.protocol.BasicMethod;
import dev.warren.broker.protocol.ChannelMethod;
import dev.warren.broker.protocol.ConfirmMethod;
import dev.warren.broker.protocol.ExchangeMethod;
import dev.warren.broker.protocol.QueueMethod;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.protocol.TxMethod;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The methods a client sends on an open channel, one handler each, in the order of the spec. A
 * handler checks the rules RabbitMQ checks at the protocol level, calls the engine and answers;
 * every broken rule is a {@link BrokerException} that the session turns into a close.
 */
final class ChannelMethods {
  private final ChannelSession session;
  private final BrokerChannel channel;

  /** RabbitMQ lets an empty queue name stand for the last queue declared on the channel. */
  private String lastDeclaredQueue = "";

  ChannelMethods(ChannelSession session, BrokerChannel channel) {
    this.session = session;
    this.channel = channel;
  }

  void handle(AmqpMethod method) {
    if (method instanceof ChannelMethod.Open) {
      throw channelError("second 'channel.open' seen");
    } else if (method instanceof ChannelMethod.Flow m) {
      flow(m);
    } else if (method instanceof AccessMethod.Request) {
      session.send(new AccessMethod.RequestOk(1));
    } else if (method instanceof ExchangeMethod.Declare m) {
      declareExchange(m);
    } else if (method instanceof ExchangeMethod.Delete m) {
      deleteExchange(m);
    } else if (method instanceof ExchangeMethod.Bind m) {
      bindExchange(m);
    } else if (method instanceof ExchangeMethod.Unbind m) {
      unbindExchange(m);
    } else if (method instanceof QueueMethod.Declare m) {
      declareQueue(m);
    } else if (method instanceof QueueMethod.Bind m) {
      bindQueue(m);
    } else if (method instanceof QueueMethod.Unbind m) {
      unbindQueue(m);
    } else if (method instanceof QueueMethod.Purge m) {
      purgeQueue(m);
    } else if (method instanceof QueueMethod.Delete m) {
      deleteQueue(m);
    } else if (method instanceof BasicMethod.Qos m) {
      qos(m);
    } else if (method instanceof BasicMethod.Consume m) {
      consume(m);
    } else if (method instanceof BasicMethod.Cancel m) {
      cancel(m);
    } else if (method instanceof BasicMethod.Get m) {
      get(m);
    } else if (method instanceof BasicMethod.Ack m) {
      channel.ack(m.deliveryTag(), m.multiple());
    } else if (method instanceof BasicMethod.Reject m) {
      channel.reject(m.deliveryTag(), m.requeue());
    } else if (method instanceof BasicMethod.Nack m) {
      channel.nack(m.deliveryTag(), m.multiple(), m.requeue());
    } else if (method instanceof BasicMethod.RecoverAsync m) {
      channel.recover(m.requeue());
    } else if (method instanceof BasicMethod.Recover m) {
      recover(m);
    } else if (method instanceof ConfirmMethod.Select m) {
      selectConfirms(m);
    } else if (method instanceof TxMethod.Select) {
      channel.selectTx();
      session.send(new TxMethod.SelectOk());
    } else if (method instanceof TxMethod.Commit commit) {
      // commit-ok waits for the store's fsync, off the event loop
      channel
          .commitTxAsync()
          .whenComplete(
              (done, failure) -> {
                if (failure == null) {
                  session.send(new TxMethod.CommitOk());
                } else {
                  session.failLater(failure, commit);
                }
              });
    } else if (method instanceof TxMethod.Rollback) {
      channel.rollbackTx();
      session.send(new TxMethod.RollbackOk());
    } else {
      // a server-to-client method, or one RabbitMQ does not implement either
      throw new BrokerException(ReplyCode.COMMAND_INVALID, "unimplemented method");
    }
  }

  /** A complete basic.publish with its content. */
  void publish(ContentAssembler.Message message) {
    BasicMethod.Publish publish = message.publish();
    if (publish.immediate()) {
      throw new BrokerException(ReplyCode.NOT_IMPLEMENTED, "immediate=true");
    }
    channel.publish(
        publish.exchange(),
        publish.routingKey(),
        publish.mandatory(),
        message.properties(),
        message.body());
  }

  // --- channel

  private void flow(ChannelMethod.Flow m) {
    channel.flow(m.active());
    session.send(new ChannelMethod.FlowOk(m.active()));
  }

  // --- exchange

  private void declareExchange(ExchangeMethod.Declare m) {
    String exchange = withoutLineBreaks(m.exchange());
    if (m.passive()) {
      channel.checkExchange(exchange);
      replyUnlessNowait(m.nowait(), new ExchangeMethod.DeclareOk());
      return;
    }
    ExchangeDeclaration declaration =
        new ExchangeDeclaration(
            exchange, m.type(), m.durable(), m.autoDelete(), m.internal(), m.arguments());
    session.await(
        channel.declareExchangeAsync(declaration),
        m,
        done -> replyUnlessNowait(m.nowait(), new ExchangeMethod.DeclareOk()));
  }

  private void deleteExchange(ExchangeMethod.Delete m) {
    session.await(
        channel.deleteExchangeAsync(withoutLineBreaks(m.exchange()), m.ifUnused()),
        m,
        done -> replyUnlessNowait(m.nowait(), new ExchangeMethod.DeleteOk()));
  }

  private void bindExchange(ExchangeMethod.Bind m) {
    session.await(
        channel.bindExchangeAsync(
            withoutLineBreaks(m.destination()),
            withoutLineBreaks(m.source()),
            m.routingKey(),
            m.arguments()),
        m,
        done -> replyUnlessNowait(m.nowait(), new ExchangeMethod.BindOk()));
  }

  private void unbindExchange(ExchangeMethod.Unbind m) {
    session.await(
        channel.unbindExchangeAsync(
            withoutLineBreaks(m.destination()),
            withoutLineBreaks(m.source()),
            m.routingKey(),
            m.arguments()),
        m,
        done -> replyUnlessNowait(m.nowait(), new ExchangeMethod.UnbindOk()));
  }

  // --- queue

  /** Declares of direct reply-to names are all passive in RabbitMQ: they only say if it is live. */
  private void declareQueue(QueueMethod.Declare m) {
    String queue = withoutLineBreaks(m.queue());
    if (m.passive() || DirectReplyTo.isReplyQueueName(queue)) {
      session.await(channel.checkQueueAsync(queueName(queue)), m, info -> declaredQueue(m, info));
      return;
    }
    QueueDeclaration declaration =
        new QueueDeclaration(queue, m.durable(), m.exclusive(), m.autoDelete(), m.arguments());
    session.await(channel.declareQueueAsync(declaration), m, info -> declaredQueue(m, info));
  }

  private void declaredQueue(QueueMethod.Declare m, QueueInfo info) {
    lastDeclaredQueue = info.name();
    replyUnlessNowait(
        m.nowait(),
        new QueueMethod.DeclareOk(info.name(), info.messageCount(), info.consumerCount()));
  }

  private void bindQueue(QueueMethod.Bind m) {
    String queue = withoutLineBreaks(m.queue());
    session.await(
        channel.bindQueueAsync(
            queueName(queue),
            withoutLineBreaks(m.exchange()),
            routingKey(queue, m.routingKey()),
            m.arguments()),
        m,
        done -> replyUnlessNowait(m.nowait(), new QueueMethod.BindOk()));
  }

  private void unbindQueue(QueueMethod.Unbind m) {
    String queue = withoutLineBreaks(m.queue());
    session.await(
        channel.unbindQueueAsync(
            queueName(queue),
            withoutLineBreaks(m.exchange()),
            routingKey(queue, m.routingKey()),
            m.arguments()),
        m,
        done -> session.send(new QueueMethod.UnbindOk()));
  }

  private void purgeQueue(QueueMethod.Purge m) {
    session.await(
        channel.purgeQueueAsync(queueName(m.queue())),
        m,
        purged -> replyUnlessNowait(m.nowait(), new QueueMethod.PurgeOk(purged)));
  }

  private void deleteQueue(QueueMethod.Delete m) {
    session.await(
        channel.deleteQueueAsync(
            queueName(withoutLineBreaks(m.queue())), m.ifUnused(), m.ifEmpty()),
        m,
        deleted -> replyUnlessNowait(m.nowait(), new QueueMethod.DeleteOk(deleted)));
  }

  // --- basic

  private void qos(BasicMethod.Qos m) {
    if (m.prefetchSize() != 0) {
      throw new BrokerException(
          ReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + m.prefetchSize() + ")");
    }
    channel.qos(m.prefetchCount(), m.global());
    session.send(new BasicMethod.QosOk());
  }

  /**
   * consume-ok must reach the client before the first delivery to the new consumer, and only once
   * the queue accepted it (a queue on another node answers from there): the channel's frames are
   * held until then.
   */
  private void consume(BasicMethod.Consume m) {
    String queue = queueName(m.queue());
    session.holdFrames();
    CompletionStage<String> consumed;
    try {
      consumed =
          channel
              .consumeAsync(queue, m.consumerTag(), m.noAck(), m.exclusive(), m.arguments())
              .whenComplete(
                  (tag, failure) -> {
                    if (failure != null) {
                      session.releaseHeldFrames(null);
                    }
                  });
    } catch (RuntimeException e) {
      session.releaseHeldFrames(null);
      throw e;
    }
    session.await(
        consumed,
        m,
        tag -> session.releaseHeldFrames(m.nowait() ? null : new BasicMethod.ConsumeOk(tag)));
  }

  /** cancel-ok once no delivery to the consumer can follow it. */
  private void cancel(BasicMethod.Cancel m) {
    session.await(
        channel.cancelAsync(m.consumerTag()),
        m,
        cancelled -> replyUnlessNowait(m.nowait(), new BasicMethod.CancelOk(m.consumerTag())));
  }

  private void get(BasicMethod.Get m) {
    session.await(channel.getAsync(queueName(m.queue()), m.noAck()), m, this::got);
  }

  private void got(Optional<GetResult> result) {
    if (result.isEmpty()) {
      session.send(new BasicMethod.GetEmpty(""));
      return;
    }
    GetResult got = result.get();
    session.sendContent(
        new BasicMethod.GetOk(
            got.deliveryTag(),
            got.redelivered(),
            got.exchange(),
            got.routingKey(),
            got.messageCount()),
        got.properties(),
        got.body());
  }

  private void recover(BasicMethod.Recover m) {
    channel.recover(m.requeue());
    session.send(new BasicMethod.RecoverOk());
  }

  // --- confirm

  private void selectConfirms(ConfirmMethod.Select m) {
    channel.selectConfirms();
    replyUnlessNowait(m.nowait(), new ConfirmMethod.SelectOk());
  }

  // --- helpers

  private void replyUnlessNowait(boolean nowait, AmqpMethod reply) {
    if (!nowait) {
      session.send(reply);
    }
  }

  private String queueName(String requested) {
    if (!requested.isEmpty()) {
      return requested;
    }
    if (lastDeclaredQueue.isEmpty()) {
      throw BrokerException.notFound("no previously declared queue");
    }
    return lastDeclaredQueue;
  }

  /** RabbitMQ: with both queue and routing key empty, the key is the last declared queue's name. */
  private String routingKey(String queue, String routingKey) {
    return queue.isEmpty() && routingKey.isEmpty() ? queueName(queue) : routingKey;
  }

  /**
   * RabbitMQ strips CR and LF from the queue and exchange names of declares, deletes and bindings
   * (not of publish, get, consume or purge), so "q\n" names q there.
   */
  static String withoutLineBreaks(String name) {
    if (name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
      return name;
    }
    return name.replace("\n", "").replace("\r", "");
  }

  private static BrokerException channelError(String text) {
    return new BrokerException(ReplyCode.CHANNEL_ERROR, text);
  }
}
