package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Tutorial 4, routing: only the "error" and "warning" severities of the direct exchange. */
@MessageDriven(
    activationConfig = {
      // declared as the RabbitMQ tutorial's clients declare it, so they can share it
      @ActivationConfigProperty(propertyName = "durable", propertyValue = "false"),
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "sample.logs.severe"),
      @ActivationConfigProperty(propertyName = "exchange", propertyValue = "direct_logs"),
      @ActivationConfigProperty(propertyName = "exchangeType", propertyValue = "direct"),
      @ActivationConfigProperty(propertyName = "routingKeys", propertyValue = "error,warning")
    })
public class SevereLogSubscriber implements AmqpMessageListener {
  @EJB ReceivedMessages received;

  @Override
  public void onMessage(AmqpMessage message) {
    received.record("severe", message);
  }
}
