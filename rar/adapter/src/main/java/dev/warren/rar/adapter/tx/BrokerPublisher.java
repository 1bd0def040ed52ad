package dev.warren.rar.adapter.tx;

import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.rar.adapter.BrokerBackend;
import java.time.Duration;
import java.util.List;

/** Publishes on a connection of its own, for recovery, where no pooled connection exists. */
public final class BrokerPublisher implements Publisher {
  private final BrokerBackend broker;
  private final Duration confirmTimeout;

  public BrokerPublisher(BrokerBackend broker, Duration confirmTimeout) {
    this.broker = broker;
    this.confirmTimeout = confirmTimeout;
  }

  @Override
  public void publishAll(List<PendingPublish> publishes) {
    try (BrokerConnection connection = broker.connect("warren-rar recovery");
        ConfirmingChannel channel =
            new ConfirmingChannel(connection, broker.alarms(), confirmTimeout)) {
      channel.publishAll(publishes);
    }
  }
}
