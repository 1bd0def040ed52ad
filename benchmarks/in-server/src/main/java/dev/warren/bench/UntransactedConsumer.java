package dev.warren.bench;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/** No transaction: the adapter acknowledges each message once {@code onMessage} returns. */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "queue",
          propertyValue = "warren.bench.untransacted"),
      @ActivationConfigProperty(propertyName = "prefetch", propertyValue = "100"),
      @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")
    })
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class UntransactedConsumer implements AmqpMessageListener {
  @Inject Consumption consumption;

  @Override
  public void onMessage(AmqpMessage message) {
    consumption.record("untransacted");
  }
}
