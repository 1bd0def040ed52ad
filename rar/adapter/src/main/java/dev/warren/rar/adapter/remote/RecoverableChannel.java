package dev.warren.rar.adapter.remote;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.rar.adapter.ChannelResetListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java client's channel under a {@link RemoteChannel}, kept usable. After a connection failure
 * the client recovers the channel (its prefetch, confirm mode and consumers) by itself. A channel
 * the broker closed over an error (a publish to a missing exchange, an inequivalent declaration)
 * the client does not recover, so this class replaces it with one set up the same way: at once if
 * it has consumers, otherwise at its next use. Either way the listener hears of it first ({@link
 * ChannelResetListener}), and publishes still waiting for their confirms count as nacked.
 */
final class RecoverableChannel {
  private static final System.Logger LOG = System.getLogger(RecoverableChannel.class.getName());

  private final Connection connection;
  private final ChannelListener listener;
  private final ConfirmNumbers confirmNumbers;
  private final ScheduledExecutorService reopener;
  private final Duration reopenDelay;
  private final Map<String, ConsumerSpec> consumers = new ConcurrentHashMap<>();
  private final ClientConsumer clientConsumer = new ClientConsumer();
  private final Object replaceLock = new Object();
  private volatile Channel channel;
  private volatile boolean closed;
  // how a replacement must be set up
  private volatile boolean confirms;
  private volatile boolean transactional;
  private volatile int prefetch;
  private volatile boolean prefetchGlobal;

  /** A consumer as it was started, to start it again on a replacement channel. */
  record ConsumerSpec(
      String queue, boolean noAck, boolean exclusive, Map<String, Object> arguments) {
    String start(Channel channel, String tag, Consumer consumer) throws IOException {
      return channel.basicConsume(
          queue, noAck, tag, false, exclusive, ClientProperties.tableToClient(arguments), consumer);
    }
  }

  /** A client call that may fail the way the Java client fails. */
  interface ClientCall<T> {
    T apply(Channel channel) throws IOException;
  }

  RecoverableChannel(
      Connection connection,
      ChannelListener listener,
      ConfirmNumbers confirmNumbers,
      ScheduledExecutorService reopener,
      Duration reopenDelay) {
    this.connection = connection;
    this.listener = listener;
    this.confirmNumbers = confirmNumbers;
    this.reopener = reopener;
    this.reopenDelay = reopenDelay;
    this.channel = newClientChannel();
  }

  /** Runs a client call on the current channel, its failure as the engine API's exception. */
  <T> T call(ClientCall<T> operation) {
    try {
      return operation.apply(current());
    } catch (IOException | ShutdownSignalException e) {
      throw RemoteErrors.toBrokerException(e);
    }
  }

  // --- what a replacement channel is set up with

  String consume(ConsumerSpec spec, String tag) {
    String started = call(c -> spec.start(c, tag, clientConsumer));
    consumers.put(started, spec);
    return started;
  }

  /** Returns false if no consumer had that tag. */
  boolean cancel(String tag) {
    if (consumers.remove(tag) == null) {
      return false;
    }
    call(
        c -> {
          c.basicCancel(tag);
          return null;
        });
    return true;
  }

  void qos(int prefetchCount, boolean global) {
    call(
        c -> {
          c.basicQos(prefetchCount, global);
          return null;
        });
    prefetch = prefetchCount;
    prefetchGlobal = global;
  }

  void selectConfirms() {
    call(Channel::confirmSelect);
    confirms = true;
  }

  boolean confirms() {
    return confirms;
  }

  void selectTx() {
    call(Channel::txSelect);
    transactional = true;
  }

  void close() {
    closed = true;
    Channel current = channel;
    try {
      current.close();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      // already closed (a failed connection): the broker has requeued what was unacknowledged
      abort(current);
    }
    confirmNumbers.abandon(listener);
  }

  // --- the client channel

  /** The channel to use now: a replacement if the broker closed the last one over an error. */
  private Channel current() {
    Channel current = channel;
    if (current.isOpen() || closed || closedWithConnection(current)) {
      return current; // a failed connection's channels come back with it
    }
    return replace(current);
  }

  private static boolean closedWithConnection(Channel channel) {
    ShutdownSignalException reason = channel.getCloseReason();
    return reason == null || reason.isHardError();
  }

  private Channel replace(Channel dead) {
    synchronized (replaceLock) {
      if (channel != dead) {
        return channel;
      }
      abort(dead); // forgets its consumers, so that connection recovery cannot revive them
      Channel fresh = newClientChannel();
      try {
        if (prefetch > 0) {
          fresh.basicQos(prefetch, prefetchGlobal);
        }
        if (confirms) {
          fresh.confirmSelect();
        }
        if (transactional) {
          fresh.txSelect();
        }
        for (Map.Entry<String, ConsumerSpec> consumer : consumers.entrySet()) {
          consumer.getValue().start(fresh, consumer.getKey(), clientConsumer);
        }
      } catch (IOException | ShutdownSignalException e) {
        abort(fresh);
        throw RemoteErrors.toBrokerException(e);
      }
      channel = fresh;
      LOG.log(System.Logger.Level.INFO, "replaced a channel the remote broker had closed");
      return fresh;
    }
  }

  private static void abort(Channel channel) {
    try {
      channel.abort();
    } catch (IOException | ShutdownSignalException e) {
      LOG.log(System.Logger.Level.DEBUG, "aborting a channel that had already failed", e);
    }
  }

  private Channel newClientChannel() {
    Channel created;
    try {
      created = connection.createChannel();
    } catch (IOException | ShutdownSignalException e) {
      throw RemoteErrors.toBrokerException(e);
    }
    if (created == null) {
      throw new BrokerException(
          ReplyCode.RESOURCE_ERROR, "no channel number left on the connection");
    }
    created.addShutdownListener(this::channelShutDown);
    created.addConfirmListener(new ClientConfirms());
    created.addReturnListener(
        (code, text, exchange, routingKey, properties, body) ->
            listener.returned(
                new ReturnedMessage(
                    code,
                    text,
                    exchange,
                    routingKey,
                    ClientProperties.toEngine(properties),
                    body)));
    if (created instanceof Recoverable recoverable) {
      recoverable.addRecoveryListener(new ClientRecovery());
    }
    return created;
  }

  /** On the client's connection thread: nothing here may wait for the broker. */
  private void channelShutDown(ShutdownSignalException cause) {
    confirmNumbers.abandon(listener);
    if (closed || cause.isInitiatedByApplication()) {
      return;
    }
    if (listener instanceof ChannelResetListener resettable) {
      resettable.channelReset();
    }
    if (!cause.isHardError()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the remote broker closed a channel: {0}",
          RemoteErrors.toBrokerException(cause).getMessage());
      if (!consumers.isEmpty()) {
        scheduleReplacement();
      }
    }
  }

  private void scheduleReplacement() {
    try {
      reopener.schedule(this::replaceForConsumers, reopenDelay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "the adapter is stopping: channel not replaced", e);
    }
  }

  private void replaceForConsumers() {
    if (closed) {
      return;
    }
    try {
      current();
    } catch (BrokerException | AlreadyClosedException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot reopen the consumers'' channel yet ({0}); trying again",
          e.getMessage());
      scheduleReplacement();
    }
  }

  private final class ClientConsumer implements Consumer {
    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      listener.deliver(
          new Delivery(
              consumerTag,
              envelope.getDeliveryTag(),
              envelope.isRedeliver(),
              envelope.getExchange(),
              envelope.getRoutingKey(),
              ClientProperties.toEngine(properties),
              body));
    }

    @Override
    public void handleCancel(String consumerTag) {
      consumers.remove(consumerTag);
      listener.consumerCancelled(consumerTag);
    }

    @Override
    public void handleConsumeOk(String consumerTag) {}

    @Override
    public void handleCancelOk(String consumerTag) {}

    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {}

    @Override
    public void handleRecoverOk(String consumerTag) {}
  }

  private final class ClientConfirms implements ConfirmListener {
    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
      confirmNumbers.confirmed(deliveryTag, multiple, true, listener);
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
      confirmNumbers.confirmed(deliveryTag, multiple, false, listener);
    }
  }

  private final class ClientRecovery implements RecoveryListener {
    @Override
    public void handleRecoveryStarted(Recoverable recoverable) {
      confirmNumbers.abandon(listener); // anything published while the connection was failing
    }

    @Override
    public void handleRecovery(Recoverable recoverable) {
      LOG.log(System.Logger.Level.DEBUG, "a channel recovered with its connection");
    }
  }
}
