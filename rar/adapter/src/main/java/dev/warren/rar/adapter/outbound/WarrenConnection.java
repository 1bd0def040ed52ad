package dev.warren.rar.adapter.outbound;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpException;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.MessageProperties;
import java.time.Duration;
import java.util.Map;

/**
 * The handle an application holds. The container may move it to another managed connection ({@link
 * #reassign}); closing it gives the managed connection back to the pool.
 */
public final class WarrenConnection implements AmqpConnection {
  private volatile WarrenManagedConnection managed;

  WarrenConnection(WarrenManagedConnection managed) {
    this.managed = managed;
  }

  @Override
  public void publish(
      String exchange, String routingKey, MessageProperties properties, byte[] body) {
    managed().publish(exchange, routingKey, properties, body);
  }

  @Override
  public void declareExchange(String name, String type, boolean durable) {
    managed().declareExchange(name, type, durable);
  }

  @Override
  public String declareQueue(
      String name,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      Map<String, Object> arguments) {
    return managed().declareQueue(name, durable, exclusive, autoDelete, arguments);
  }

  @Override
  public void bindQueue(String queue, String exchange, String routingKey) {
    managed().bindQueue(queue, exchange, routingKey);
  }

  @Override
  public AmqpMessage rpc(
      String exchange,
      String routingKey,
      MessageProperties properties,
      byte[] body,
      Duration timeout) {
    return managed().rpc(exchange, routingKey, properties, body, timeout);
  }

  @Override
  public void close() {
    WarrenManagedConnection current = managed;
    if (current != null) {
      managed = null;
      current.handleClosed(this);
    }
  }

  void reassign(WarrenManagedConnection target) {
    managed = target;
  }

  void invalidate() {
    managed = null;
  }

  private WarrenManagedConnection managed() {
    WarrenManagedConnection current = managed;
    if (current == null) {
      throw new AmqpException(0, "the connection is closed", null);
    }
    return current;
  }
}
