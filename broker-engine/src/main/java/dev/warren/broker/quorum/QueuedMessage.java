package dev.warren.broker.quorum;

import dev.warren.broker.model.Message;

/**
 * A message in a quorum queue.
 *
 * @param id its number in the queue, in enqueue order (a consumer settles it by this number)
 * @param deliveryCount how often it came back (requeued, or its consumer went away): RabbitMQ's
 *     {@code x-delivery-count}
 * @param delivered whether a consumer was given it and it came back (the redelivered flag)
 * @param expiresAt when its TTL runs out, in the log's clock; {@code Long.MAX_VALUE} for never
 */
public record QueuedMessage(
    long id, Message message, int deliveryCount, boolean delivered, long expiresAt) {

  QueuedMessage returned() {
    return new QueuedMessage(id, message, deliveryCount + 1, true, expiresAt);
  }

  int size() {
    return message.body().length;
  }
}
