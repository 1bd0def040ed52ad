package dev.warren.rar.api;

/**
 * The message listener an MDB implements to consume from Warren. With a container-managed
 * transaction the message is acknowledged when the transaction commits and requeued when it rolls
 * back; without one it is acknowledged when this method returns and requeued when it throws.
 */
public interface AmqpMessageListener {

  void onMessage(AmqpMessage message);
}
