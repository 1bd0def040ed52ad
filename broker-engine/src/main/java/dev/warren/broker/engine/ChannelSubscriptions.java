package dev.warren.broker.engine;

import dev.warren.broker.engine.ListenerMailbox.Cancellation;
import dev.warren.broker.engine.ListenerMailbox.Failure;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.DeliveryTarget;
import dev.warren.broker.model.GeneratedNames;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.VirtualHost;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel's consumers on their queues: basic.consume and basic.cancel (of the direct reply-to
 * consumer too), and a queue cancelling one of them or reporting its failure. The channel's owner
 * consumes and cancels; queues cancel from any thread.
 */
final class ChannelSubscriptions {
  private final LocalConnection connection;
  private final VirtualHost virtualHost;
  private final ChannelTopology topology;
  private final ChannelDeliveries deliveries;
  private final ChannelConsumers consumers;
  private final ReplyConsumer replyConsumer;
  private final ListenerMailbox mailbox;
  private final DeliveryTarget channel;

  ChannelSubscriptions(
      LocalConnection connection,
      VirtualHost virtualHost,
      ChannelTopology topology,
      ChannelDeliveries deliveries,
      ChannelConsumers consumers,
      ReplyConsumer replyConsumer,
      ListenerMailbox mailbox,
      DeliveryTarget channel) {
    this.connection = connection;
    this.virtualHost = virtualHost;
    this.topology = topology;
    this.deliveries = deliveries;
    this.consumers = consumers;
    this.replyConsumer = replyConsumer;
    this.mailbox = mailbox;
    this.channel = channel;
  }

  /**
   * A queue on another node answers on its link's thread; every other queue at once.
   *
   * @param prefetch the channel's per-consumer prefetch limit now
   */
  CompletionStage<String> consume(
      String queue,
      String consumerTag,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments,
      int prefetch) {
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
    Consumer consumer = new Consumer(tag, source, channel, noAck, exclusive, prefetch, arguments);
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

  CompletionStage<Boolean> cancel(String consumerTag) {
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

  /** The channel is closing: every consumer leaves its queue. */
  void detachAll() {
    for (Consumer consumer : consumers.removeAll()) {
      detach(consumer);
    }
  }

  void cancelledByBroker(Consumer consumer) {
    if (consumers.remove(consumer)) {
      mailbox.post(new Cancellation(consumer.tag()));
      mailbox.flush();
    }
    ChannelSettlements.returnHeld(deliveries.takeHeld(consumer));
  }

  void consumerFailed(Consumer consumer, BrokerException error) {
    if (consumers.remove(consumer)) {
      mailbox.post(new Failure(consumer.tag(), error));
      mailbox.flush();
    }
  }

  /** The consumers, the reply consumer included, for listings. */
  int count() {
    return consumers.all().size() + (replyConsumer.tag() == null ? 0 : 1);
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
}
