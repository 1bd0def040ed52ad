package dev.warren.broker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Dead-lettering ({@code x-dead-letter-exchange}, {@code x-dead-letter-routing-key}, or the same
 * keys of the queue's policy): a message rejected without requeue, expired, dropped by a length
 * limit or over its delivery limit is republished to the queue's dead-letter exchange with {@link
 * DeathHeaders}. Called with no queue lock held, since it enqueues into other queues. A missing
 * dead-letter exchange drops the message, as in RabbitMQ.
 */
final class DeadLetterer {
  static final String REJECTED = "rejected";
  static final String EXPIRED = "expired";
  static final String MAXLEN = "maxlen";
  static final String DELIVERY_LIMIT = "delivery_limit";

  private static final Persistence.Synced NO_WAIT = () -> {};

  private final VirtualHost host;

  DeadLetterer(VirtualHost host) {
    this.host = host;
  }

  /** A message that died in a queue, and why. */
  record DeadLetter(Message message, String reason) {}

  /** Concatenates two optional (null) lists of dead letters without copying when one is empty. */
  static List<DeadLetter> plus(List<DeadLetter> a, List<DeadLetter> b) {
    if (a == null || a.isEmpty()) {
      return b;
    }
    if (b == null || b.isEmpty()) {
      return a;
    }
    List<DeadLetter> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  void deadLetter(Queue from, List<DeadLetter> letters) {
    String exchangeName = from.effectiveArguments().deadLetterExchange();
    if (exchangeName == null) {
      return;
    }
    Exchange exchange = host.findExchange(exchangeName);
    if (exchange == null) {
      return;
    }
    MessageRoutes routes = new MessageRoutes(host);
    RoutedQueues routed = new RoutedQueues();
    for (DeadLetter letter : letters) {
      Message dead =
          DeathHeaders.deadLettered(
              letter.message(),
              from.name(),
              letter.reason(),
              exchangeName,
              from.effectiveArguments().deadLetterRoutingKey());
      routed.clear();
      routes.collect(
          exchange, MessageRoutes.routingKeys(dead), dead.properties().headers(), routed);
      List<Queue> targets = new ArrayList<>();
      for (Queue target : routed.queues()) {
        if (!DeathHeaders.isCycle(dead, target.name(), letter.reason())) {
          targets.add(target);
        }
      }
      enqueue(dead, targets);
    }
  }

  /**
   * A persistent dead letter is stored again for the durable queues it reaches (the original's
   * stored copy was released): at most once, as RabbitMQ's default dead-lettering.
   */
  private void enqueue(Message dead, List<Queue> targets) {
    if (targets.isEmpty()) {
      return;
    }
    long storeId =
        dead.properties().persistent() ? host.persistence().store(dead, targets, NO_WAIT) : 0;
    Message kept = storeId == 0 ? dead : dead.withStoreId(storeId);
    for (Queue target : targets) {
      target.enqueue(kept);
    }
  }
}
