package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.rar.adapter.BrokerBackend;
import dev.warren.rar.adapter.BrokerUnreachableException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;

/**
 * One activated MDB: declares its topology, then runs {@code maxConcurrency} consumers on one
 * connection. Stopping it cancels the consumers and requeues what they had not acknowledged. If a
 * remote broker cannot be reached when the MDB is deployed, the deployment succeeds and the MDB
 * starts consuming once the broker can be reached (the container's timer tries again).
 */
public final class EndpointActivation {
  private static final System.Logger LOG = System.getLogger(EndpointActivation.class.getName());

  private final BrokerBackend broker;
  private final WorkManager workManager;
  private final Timer timer;
  private final MessageEndpointFactory factory;
  private final ActivationConfig config;
  private final PreparedDeliveries prepared;
  private final List<EndpointConsumer> consumers = new ArrayList<>();
  private BrokerConnection connection;
  private BrokerChannel topologyChannel;
  private boolean stopped;

  /**
   * @param timer where attempts to reach an unreachable broker again are scheduled
   */
  public EndpointActivation(
      BrokerBackend broker,
      WorkManager workManager,
      Timer timer,
      MessageEndpointFactory factory,
      ActivationConfig config,
      PreparedDeliveries prepared) {
    this.broker = broker;
    this.workManager = workManager;
    this.timer = timer;
    this.factory = factory;
    this.config = config;
    this.prepared = prepared;
  }

  public synchronized void start() throws ResourceException {
    try {
      consume();
    } catch (BrokerUnreachableException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the MDB on queue {0} starts consuming once the broker can be reached: {1}",
          config.queue(),
          e.getMessage());
      tryAgainLater(e);
    } catch (BrokerException | NoSuchMethodException e) {
      stop();
      throw new ResourceException(
          "cannot activate the MDB on queue '" + config.queue() + "': " + e.getMessage(), e);
    }
  }

  private void consume() throws NoSuchMethodException {
    try {
      connection = broker.connect("warren-rar MDB " + factory.getActivationName());
      declareTopology();
      boolean transacted = factory.isDeliveryTransacted(EndpointConsumer.ON_MESSAGE);
      for (int i = 0; i < config.maxConcurrency(); i++) {
        EndpointConsumer consumer =
            new EndpointConsumer(connection, config, workManager, factory, transacted, prepared);
        consumers.add(consumer);
        consumer.start();
      }
    } catch (BrokerException | NoSuchMethodException e) {
      release();
      throw e;
    }
  }

  private void tryAgainLater(BrokerUnreachableException failure) {
    try {
      timer.schedule(
          new TimerTask() {
            @Override
            public void run() {
              retry();
            }
          },
          failure.retryAfter().toMillis());
    } catch (IllegalStateException e) {
      LOG.log(System.Logger.Level.DEBUG, "the adapter is stopping: no further attempt", e);
    }
  }

  private synchronized void retry() {
    if (stopped) {
      return;
    }
    try {
      consume();
      LOG.log(System.Logger.Level.INFO, "the MDB on queue {0} is consuming", config.queue());
    } catch (BrokerUnreachableException e) {
      tryAgainLater(e);
    } catch (BrokerException | NoSuchMethodException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "the MDB on queue " + config.queue() + " cannot be activated; redeploy it once fixed",
          e);
    }
  }

  public synchronized void stop() {
    stopped = true;
    release();
  }

  private void release() {
    consumers.forEach(EndpointConsumer::stop);
    consumers.clear();
    if (topologyChannel != null) {
      topologyChannel.close();
      topologyChannel = null;
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /**
   * Declares on a channel that stays open while the MDB is active: a remote connection's recovery
   * declares everything again (after a broker restart, non-durable queues are gone) on the channel
   * that first declared it.
   */
  private void declareTopology() {
    BrokerChannel channel = connection.openChannel(new TopologyListener());
    topologyChannel = channel;
    channel.declareQueue(
        new QueueDeclaration(
            config.queue(),
            config.durable(),
            config.exclusive(),
            config.autoDelete(),
            config.queueArguments()));
    if (config.exchange() != null) {
      channel.declareExchange(
          new ExchangeDeclaration(
              config.exchange(), config.exchangeType(), config.durable(), false, false, null));
      List<String> keys = config.routingKeys().isEmpty() ? List.of("") : config.routingKeys();
      for (String key : keys) {
        channel.bindQueue(config.queue(), config.exchange(), key, null);
      }
    }
    if (!config.hasDeadLetterExchange()) {
      channel.declareQueue(
          new QueueDeclaration(ActivationConfig.PARKING_QUEUE, true, false, false, null));
    }
  }

  /** The topology channel only declares; it never receives anything. */
  private static final class TopologyListener implements ChannelListener {
    @Override
    public void deliver(Delivery delivery) {}

    @Override
    public void returned(ReturnedMessage message) {}

    @Override
    public void confirmed(long seqNo, boolean multiple, boolean ack) {}

    @Override
    public void consumerCancelled(String consumerTag) {}
  }
}
