package dev.warren.broker.engine;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerConnection;

/** Placeholder until the model lands: the in-VM broker behind the facade. */
public final class LocalBroker implements Broker {

  public LocalBroker(BrokerConfig config) {}

  @Override
  public boolean authenticate(String user, String password) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public BrokerConnection connect(String virtualHost, String user, String clientName) {
    throw new UnsupportedOperationException("not yet");
  }

  public void shutdown() {}
}
