package dev.warren.broker.model;

import dev.warren.broker.protocol.BasicProperties;

/**
 * A published message as the broker keeps it: shared, never copied, by every queue it was routed
 * to. The body is the publisher's array itself.
 *
 * @param storeId the id under which the durable store wrote it, or 0 if it is only in memory
 */
public record Message(
    String exchange, String routingKey, BasicProperties properties, byte[] body, long storeId) {

  public Message(String exchange, String routingKey, BasicProperties properties, byte[] body) {
    this(exchange, routingKey, properties, body, 0);
  }

  public Message withStoreId(long id) {
    return new Message(exchange, routingKey, properties, body, id);
  }
}
