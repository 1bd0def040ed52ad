package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Tutorial 5, topics: everything from the kernel, and anything critical from any facility. */
@MessageDriven(
    activationConfig = {
      // declared as the RabbitMQ tutorial's clients declare it, so they can share it
      @ActivationConfigProperty(propertyName = "durable", propertyValue = "false"),
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "sample.logs.topic"),
      @ActivationConfigProperty(propertyName = "exchange", propertyValue = "topic_logs"),
      @ActivationConfigProperty(propertyName = "exchangeType", propertyValue = "topic"),
      @ActivationConfigProperty(propertyName = "routingKeys", propertyValue = "kern.*,*.critical")
    })
public class TopicLogSubscriber implements AmqpMessageListener {
  @EJB ReceivedMessages received;

  @Override
  public void onMessage(AmqpMessage message) {
    received.record("topic", message);
  }
}
