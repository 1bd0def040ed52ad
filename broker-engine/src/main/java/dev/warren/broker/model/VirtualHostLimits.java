package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;

/**
 * How many queues and exchanges a virtual host may hold (RabbitMQ's max-queues vhost limit, and the
 * same for exchanges). Only declaring a new one is refused: redeclares, passive declares and what
 * the store recovers at start always succeed, so lowering a limit never loses existing topology.
 *
 * <p>As in RabbitMQ's vhost limits, a negative limit means none and 0 allows none.
 *
 * @param maxQueues queues beyond which a new declare is refused; negative: no limit
 * @param maxExchanges exchanges, not counting the predeclared ones; negative: no limit
 */
public record VirtualHostLimits(int maxQueues, int maxExchanges) {
  public static final int UNLIMITED = -1;
  public static final VirtualHostLimits NONE = new VirtualHostLimits(UNLIMITED, UNLIMITED);

  void checkNewQueue(String virtualHost, String queueName, int queues) {
    if (maxQueues >= 0 && queues >= maxQueues) {
      throw limitReached("queue", queueName, virtualHost, maxQueues);
    }
  }

  void checkNewExchange(String virtualHost, String exchangeName, int exchanges) {
    if (maxExchanges >= 0 && exchanges >= maxExchanges) {
      throw limitReached("exchange", exchangeName, virtualHost, maxExchanges);
    }
  }

  /** RabbitMQ's rabbit_amqqueue:check_vhost_queue_limit text. */
  private static BrokerException limitReached(
      String kind, String name, String virtualHost, int limit) {
    return BrokerException.preconditionFailed(
        "cannot declare %s '%s': %s limit in vhost '%s' (%d) is reached"
            .formatted(kind, name, kind, virtualHost, limit));
  }
}
