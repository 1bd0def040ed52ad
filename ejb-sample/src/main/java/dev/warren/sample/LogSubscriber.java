package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Tutorial 3, publish/subscribe: every message published to the fanout exchange "logs". */
@MessageDriven(
    activationConfig = {
      // declared as the RabbitMQ tutorial's clients declare it, so they can share it
      @ActivationConfigProperty(propertyName = "durable", propertyValue = "false"),
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "sample.logs.all"),
      @ActivationConfigProperty(propertyName = "exchange", propertyValue = "logs"),
      @ActivationConfigProperty(propertyName = "exchangeType", propertyValue = "fanout")
    })
public class LogSubscriber implements AmqpMessageListener {
  @EJB ReceivedMessages received;

  @Override
  public void onMessage(AmqpMessage message) {
    received.record("logs", message);
  }
}
