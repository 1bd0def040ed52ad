package dev.warren.broker.engine.api;

/**
 * A client's connection to one virtual host: it owns its exclusive queues and its channels. Closing
 * it closes every channel (requeueing their unacknowledged messages) and deletes its exclusive
 * queues.
 */
public interface BrokerConnection extends AutoCloseable {

  String virtualHost();

  String user();

  /** Opens a channel whose deliveries, returns, confirms and cancellations go to the listener. */
  BrokerChannel openChannel(ChannelListener listener);

  /** Opens a channel known to its client by that number (as listings show it). */
  BrokerChannel openChannel(int number, ChannelListener listener);

  /** Idempotent. */
  @Override
  void close();
}
