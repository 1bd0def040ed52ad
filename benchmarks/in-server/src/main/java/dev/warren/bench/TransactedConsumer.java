package dev.warren.bench;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;

/**
 * Container-managed transaction (REQUIRED, the default): every message is delivered in a JTA
 * transaction in which the adapter's XAResource is enlisted, and acknowledged by its commit.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "warren.bench.transacted"),
      @ActivationConfigProperty(propertyName = "prefetch", propertyValue = "100"),
      @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")
    })
public class TransactedConsumer implements AmqpMessageListener {
  @Inject Consumption consumption;

  @Override
  public void onMessage(AmqpMessage message) {
    consumption.record("transacted");
  }
}
