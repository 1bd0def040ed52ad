package dev.warren.rar.api;

import java.time.Duration;
import java.util.Map;

/**
 * A connection handle to the broker in this server, used by one thread and closed after use. Every
 * method throws {@link AmqpException} with RabbitMQ's reply code when the broker refuses.
 */
public interface AmqpConnection extends AutoCloseable {

  /**
   * Publishes a message. Inside a JTA transaction it is held and routed when the transaction
   * commits (the commit returns once it is routed, and stored if persistent and the queue durable),
   * and dropped on rollback. Outside a transaction it is routed before this method returns.
   */
  void publish(String exchange, String routingKey, MessageProperties properties, byte[] body);

  /** exchange.declare: idempotent; 406 if it exists with a different type or durability. */
  void declareExchange(String name, String type, boolean durable);

  /**
   * queue.declare: idempotent; an empty name gets a server-generated one.
   *
   * @return the queue's name
   */
  String declareQueue(
      String name,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      Map<String, Object> arguments);

  void bindQueue(String queue, String exchange, String routingKey);

  /**
   * Request/reply: publishes with a private {@code reply_to} queue and a fresh {@code
   * correlation_id}, then waits for the reply carrying that id. The request is sent at once, even
   * inside a transaction, because its reply could never arrive before the commit.
   *
   * @throws AmqpException with code 0 if no reply arrives within the timeout
   */
  AmqpMessage rpc(
      String exchange,
      String routingKey,
      MessageProperties properties,
      byte[] body,
      Duration timeout);

  /** Returns the connection to the container's pool. Idempotent. */
  @Override
  void close();
}
