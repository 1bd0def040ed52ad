package dev.warren.broker.model;

import dev.warren.broker.metrics.QueueCounters;

/**
 * Hands a classic queue's ready messages to its consumers one at a time, in {@link QueueConsumers}
 * order, and counts each delivery. Called with the queue's lock held, which keeps FIFO order per
 * consumer; the channel's listener is only called when the queue flushes the returned target after
 * releasing its lock.
 */
final class ClassicQueueDispatcher {
  private final QueueConsumers consumers;
  private final ClassicQueueMessages messages;
  private final QueueCounters counters;

  ClassicQueueDispatcher(
      QueueConsumers consumers, ClassicQueueMessages messages, QueueCounters counters) {
    this.consumers = consumers;
    this.messages = messages;
    this.counters = counters;
  }

  /**
   * Hands the oldest ready message to the next consumer with credit.
   *
   * @return the target to flush, also when its channel closed meanwhile (the message then went
   *     back); null if no consumer or no message could be served
   */
  DeliveryTarget next() {
    if (consumers.isEmpty() || messages.isEmpty()) {
      return null;
    }
    Consumer consumer = consumers.nextWithCredit();
    QueueEntry entry = consumer == null ? null : messages.poll();
    if (entry == null) { // null: paged messages that cannot be read just now
      return null;
    }
    DeliveryTarget target = consumer.target();
    if (!deliver(consumer, target, entry)) {
      messages.unpoll(entry);
    }
    return target;
  }

  /**
   * Delivers a message that must not wait (TTL 0) if a consumer can take it now.
   *
   * @return the target to flush, or null if the message was not delivered
   */
  DeliveryTarget atOnce(QueueEntry entry) {
    if (!messages.isEmpty()) {
      return null;
    }
    Consumer consumer = consumers.nextWithCredit();
    if (consumer == null) {
      return null;
    }
    DeliveryTarget target = consumer.target();
    return deliver(consumer, target, entry) ? target : null;
  }

  private boolean deliver(Consumer consumer, DeliveryTarget target, QueueEntry entry) {
    if (!target.deliver(consumer, entry)) {
      return false;
    }
    consumer.delivered();
    counters.delivered(consumer.noAck(), entry.redelivered());
    return true;
  }
}
