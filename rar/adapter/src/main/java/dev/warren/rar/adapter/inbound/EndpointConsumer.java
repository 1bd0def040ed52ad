package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.rar.adapter.ChannelResetListener;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer of an MDB activation: its own channel (so prefetch gives fair dispatch between
 * consumers) and its own endpoint instance. The broker's delivery callback only queues the
 * delivery; a {@link Drain} work on the container's WorkManager empties the queue into the
 * endpoint, so no broker thread ever waits for application code.
 *
 * <p>A remote broker's channel may reset (see {@link ChannelResetListener}): the broker then
 * requeues every unacknowledged message, so deliveries made before the reset are neither delivered
 * to the endpoint any more nor settled, only their redeliveries are.
 */
final class EndpointConsumer implements ChannelResetListener {
  private static final System.Logger LOG = System.getLogger(EndpointConsumer.class.getName());
  static final Method ON_MESSAGE = onMessageMethod();
  private static final long ENDPOINT_WAIT_MILLIS = Duration.ofSeconds(60).toMillis();
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final ActivationConfig config;
  private final WorkManager workManager;
  private final MessageEndpointFactory factory;
  private final DeliveryXAResource xaResource;
  private final BrokerChannel channel;
  private final Object channelLock = new Object();
  private final Queue<Received> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong generation = new AtomicLong();
  private final AckHandOver acks;
  private volatile Thread deliveryThread; // the thread of the Drain that runs, if any
  private volatile boolean stopped;
  private boolean channelClosed; // guarded by channelLock
  private volatile MessageEndpoint endpoint;
  private String consumerTag;

  /** A delivery and the incarnation of the channel that made it. */
  record Received(Delivery delivery, long generation) {}

  EndpointConsumer(
      BrokerConnection connection,
      ActivationConfig config,
      WorkManager workManager,
      MessageEndpointFactory factory,
      boolean transacted,
      PreparedDeliveries prepared) {
    this.config = config;
    this.workManager = workManager;
    this.factory = factory;
    this.xaResource = transacted ? new DeliveryXAResource(this, prepared) : null;
    this.acks =
        new AckHandOver(workManager, this::acknowledge, AckHandOver.batchSize(config.prefetch()));
    this.channel = connection.openChannel(this);
  }

  void start() {
    synchronized (channelLock) {
      channel.qos(config.prefetch(), false);
      consumerTag = channel.consume(config.queue(), "", false, false, null);
    }
  }

  /** Cancels the consumer, lets the delivery in progress finish, and requeues the rest. */
  void stop() {
    stopped = true;
    synchronized (channelLock) {
      try {
        channel.cancel(consumerTag);
      } catch (BrokerException e) {
        LOG.log(System.Logger.Level.DEBUG, "cancel on a closed channel", e);
      }
    }
    awaitIdle();
    acks.finish();
    synchronized (channelLock) {
      channelClosed = true;
      channel.close();
    }
    pending.clear();
    if (endpoint != null) {
      endpoint.release();
    }
  }

  // --- broker side: never blocks

  @Override
  public void deliver(Delivery delivery) {
    pending.add(new Received(delivery, generation.get()));
    schedule();
  }

  @Override
  public void channelReset() {
    generation.incrementAndGet();
    LOG.log(
        System.Logger.Level.INFO,
        "the channel of an MDB on queue {0} was reset; its unacknowledged messages come again",
        config.queue());
  }

  private boolean isStale(Received received) {
    return received.generation() != generation.get();
  }

  @Override
  public void consumerCancelled(String tag) {
    LOG.log(
        System.Logger.Level.WARNING,
        "the broker cancelled the consumer of queue {0} (was it deleted?)",
        config.queue());
  }

  @Override
  public void returned(ReturnedMessage message) {
    // retries and dead letters are not published as mandatory
  }

  @Override
  public void confirmed(long seqNo, boolean multiple, boolean ack) {
    // the channel is not in confirm mode
  }

  private void schedule() {
    if (stopped || !scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      workManager.scheduleWork(new Drain());
    } catch (WorkException e) {
      scheduled.set(false);
      LOG.log(System.Logger.Level.ERROR, "the WorkManager refused MDB delivery work", e);
    }
  }

  // --- container side: runs on a WorkManager thread

  /**
   * One run of deliveries. The WorkManager may call {@link #release} (WildFly's does after every
   * run), which only ends this run: it must not stop the consumer.
   */
  private final class Drain implements Work {
    private volatile boolean released;

    @Override
    public void run() {
      deliveryThread = Thread.currentThread();
      try {
        Received received;
        while (!stopped && !released && (received = pending.poll()) != null) {
          if (!isStale(received)) {
            deliverToEndpoint(received);
          }
          if (pending.isEmpty()) {
            acks.settleOwn(); // frees the credit for the next deliveries, which may come at once
          }
        }
      } finally {
        acks.settleOwn();
        deliveryThread = null;
        synchronized (scheduled) {
          scheduled.set(false);
          scheduled.notifyAll();
        }
      }
      if (!stopped && !pending.isEmpty()) {
        schedule();
      }
    }

    @Override
    public void release() {
      released = true;
    }
  }

  private void deliverToEndpoint(Received received) {
    MessageEndpoint target;
    try {
      target = endpoint();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.ERROR, "no MDB endpoint for queue " + config.queue(), e);
      requeueAsIs(received);
      return;
    }
    if (xaResource != null) {
      xaResource.expect(received);
    }
    boolean succeeded = false;
    try {
      target.beforeDelivery(ON_MESSAGE);
      try {
        ((AmqpMessageListener) target).onMessage(DeliveryHeaders.toMessage(received.delivery()));
        succeeded = true;
      } finally {
        if (!succeeded && xaResource != null) {
          xaResource.failed(received); // before afterDelivery completes the branch
        }
        target.afterDelivery();
      }
    } catch (Exception | Error e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "MDB failed on a message from queue " + config.queue() + "; it will be retried",
          e);
    }
    // without a transaction branch (not transacted, or never enlisted) the adapter decides
    Received unsettled = xaResource == null ? received : xaResource.takeUnclaimed();
    if (unsettled != null) {
      if (succeeded) {
        acks.add(unsettled);
      } else {
        retryOrDeadLetter(unsettled);
      }
    }
  }

  private MessageEndpoint endpoint() throws Exception {
    if (endpoint == null) {
      endpoint = factory.createEndpoint(xaResource, ENDPOINT_WAIT_MILLIS);
    }
    return endpoint;
  }

  // --- settlement: from the delivery thread or the transaction manager's commit/rollback

  void acknowledge(Received received) {
    onChannel(received, () -> channel.ack(received.delivery().deliveryTag(), false));
  }

  /**
   * The ack of a one-phase commit: nothing else was in the transaction, so the ack need not be on
   * disk when the commit returns, and the delivery thread may leave it to {@link AckHandOver}.
   */
  void acknowledgeCommitted(Received received) {
    if (Thread.currentThread() == deliveryThread) {
      acks.add(received);
    } else {
      acknowledge(received); // a commit from the transaction manager's own thread
    }
  }

  /** Where the delivered message is stored, if a restart would recover it. */
  Optional<StoredMessageId> storedId(Received received) {
    synchronized (channelLock) {
      if (channelClosed || isStale(received)) {
        return Optional.empty();
      }
      return channel.storedId(received.delivery().deliveryTag());
    }
  }

  /** Acknowledges and returns once the ack is on disk; throws if the store cannot write it. */
  void acknowledgeStored(Received delivery) {
    acknowledge(delivery);
    // outside the channel lock: the wait is for the store, and other settlements may go on
    channel.awaitStored();
  }

  /**
   * A failed delivery comes back as a copy carrying its delivery count, until the count reaches
   * maxDeliveries: then it goes to the queue's dead-letter exchange, or to the parking queue.
   */
  void retryOrDeadLetter(Received received) {
    Delivery delivery = received.delivery();
    int count = DeliveryHeaders.deliveryCount(delivery);
    onChannel(
        received,
        () -> {
          if (count < config.maxDeliveries()) {
            channel.publish(
                "", config.queue(), false, DeliveryHeaders.forRetry(delivery), delivery.body());
          } else {
            deadLetter(delivery, count);
          }
          channel.ack(delivery.deliveryTag(), false);
        });
  }

  private void deadLetter(Delivery delivery, int count) {
    LOG.log(
        System.Logger.Level.WARNING,
        "message from queue {0} failed {1} deliveries; dead-lettering it",
        config.queue(),
        count);
    Object exchange = config.queueArguments().get(ActivationConfig.DEAD_LETTER_EXCHANGE);
    if (exchange != null) {
      Object key = config.queueArguments().get("x-dead-letter-routing-key");
      channel.publish(
          exchange.toString(),
          key != null ? key.toString() : DeliveryHeaders.originalRoutingKey(delivery),
          false,
          DeliveryHeaders.forDeadLetter(delivery, config.queue()),
          delivery.body());
    } else {
      channel.publish(
          "",
          ActivationConfig.PARKING_QUEUE,
          false,
          DeliveryHeaders.forDeadLetter(delivery, config.queue()),
          delivery.body());
    }
  }

  private void requeueAsIs(Received received) {
    onChannel(received, () -> channel.nack(received.delivery().deliveryTag(), false, true));
  }

  private void onChannel(Received received, Runnable operation) {
    synchronized (channelLock) {
      if (channelClosed || isStale(received)) {
        // a late commit or rollback, or one after a reset: the broker has already requeued the
        // message, and a retry copy published now would duplicate it
        return;
      }
      try {
        operation.run();
      } catch (BrokerException e) {
        // the channel closed under us (undeploy, broker stop): the broker requeues the message
        LOG.log(System.Logger.Level.DEBUG, "settlement on a closed channel", e);
      }
    }
  }

  private void awaitIdle() {
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    synchronized (scheduled) {
      while (scheduled.get()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          LOG.log(System.Logger.Level.WARNING, "MDB delivery still running at deactivation");
          return;
        }
        try {
          scheduled.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static Method onMessageMethod() {
    try {
      return AmqpMessageListener.class.getMethod("onMessage", dev.warren.rar.api.AmqpMessage.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
