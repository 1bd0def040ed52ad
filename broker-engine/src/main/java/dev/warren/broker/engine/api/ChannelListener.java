package dev.warren.broker.engine.api;

/**
 * What the broker tells a channel's owner. Calls may come from any thread (the publisher's, an
 * acknowledger's, the store's), but never two at once for the same channel, and deliveries to one
 * channel arrive in delivery-tag order. Implementations must not block: they hand work off.
 */
public interface ChannelListener {

  void deliver(Delivery delivery);

  /** A mandatory message that no queue took (basic.return), always before its confirm. */
  void returned(ReturnedMessage message);

  /** Publisher confirm for sequence number {@code seqNo} (and all before it when multiple). */
  void confirmed(long seqNo, boolean multiple, boolean ack);

  /** The broker cancelled a consumer, e.g. because its queue was deleted. */
  void consumerCancelled(String consumerTag);

  /**
   * A consumer that consume-ok already answered could not be registered after all: a quorum queue's
   * log did not take it in time. RabbitMQ then ends the connection with {@code error} (a
   * connection-level code), as an AMQP channel does; other owners may treat it as a cancellation.
   */
  default void consumerFailed(String consumerTag, BrokerException error) {
    consumerCancelled(consumerTag);
  }

  /**
   * Back-pressure: while false, queues skip this channel's consumers. The owner calls {@link
   * BrokerChannel#resumeDeliveries()} when it becomes ready again.
   */
  default boolean ready() {
    return true;
  }
}
