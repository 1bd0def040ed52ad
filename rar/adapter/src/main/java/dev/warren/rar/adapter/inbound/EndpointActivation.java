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
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.util.ArrayList;
import java.util.List;

/**
 * One activated MDB: declares its topology, then runs {@code maxConcurrency} consumers on one
 * connection. Stopping it cancels the consumers and requeues what they had not acknowledged.
 */
public final class EndpointActivation {
  private final BrokerBackend broker;
  private final WorkManager workManager;
  private final MessageEndpointFactory factory;
  private final ActivationConfig config;
  private final List<EndpointConsumer> consumers = new ArrayList<>();
  private BrokerConnection connection;
  private BrokerChannel topologyChannel;

  public EndpointActivation(
      BrokerBackend broker,
      WorkManager workManager,
      MessageEndpointFactory factory,
      ActivationConfig config) {
    this.broker = broker;
    this.workManager = workManager;
    this.factory = factory;
    this.config = config;
  }

  public synchronized void start() throws ResourceException {
    try {
      connection = broker.connect("warren-rar MDB " + factory.getActivationName());
      declareTopology();
      boolean transacted = factory.isDeliveryTransacted(EndpointConsumer.ON_MESSAGE);
      for (int i = 0; i < config.maxConcurrency(); i++) {
        EndpointConsumer consumer =
            new EndpointConsumer(connection, config, workManager, factory, transacted);
        consumers.add(consumer);
        consumer.start();
      }
    } catch (BrokerException | NoSuchMethodException e) {
      stop();
      throw new ResourceException(
          "cannot activate the MDB on queue '" + config.queue() + "': " + e.getMessage(), e);
    }
  }

  public synchronized void stop() {
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
