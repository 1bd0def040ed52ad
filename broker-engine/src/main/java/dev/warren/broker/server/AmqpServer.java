package dev.warren.broker.server;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.api.Broker;

/** Placeholder until the server lands: the Netty listener in front of the engine. */
public final class AmqpServer {

  public AmqpServer(BrokerConfig config, Broker broker) {}

  /** Binds the listener and returns the port it is bound to. */
  public int start() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Closes every connection with 320 CONNECTION_FORCED and releases the event loops. */
  public void stop() {}
}
