package dev.warren.rar.adapter.tx;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.rar.adapter.WarrenResourceAdapter;
import java.util.List;

/** Publishes on a connection of its own, for recovery, where no pooled connection exists. */
public final class BrokerPublisher implements Publisher {
  private final Broker broker;
  private final String user;

  public BrokerPublisher(Broker broker, String user) {
    this.broker = broker;
    this.user = user;
  }

  @Override
  public void publishAll(List<PendingPublish> publishes) {
    try (BrokerConnection connection =
            broker.connect(WarrenResourceAdapter.VIRTUAL_HOST, user, "warren-rar recovery");
        ConfirmingChannel channel = new ConfirmingChannel(connection, broker.alarms())) {
      channel.publishAll(publishes);
    }
  }
}
