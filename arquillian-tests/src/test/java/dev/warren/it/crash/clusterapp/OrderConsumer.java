package dev.warren.it.crash.clusterapp;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Records every message of the quorum queue it is given (the container's transaction acks it). */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = OrderPublisher.QUEUE),
      @ActivationConfigProperty(
          propertyName = "queueArguments",
          propertyValue = OrderPublisher.QUEUE_ARGUMENTS)
    })
public class OrderConsumer implements AmqpMessageListener {
  @EJB ReceivedOrders received;

  @Override
  public void onMessage(AmqpMessage message) {
    received.add(message.bodyAsString());
  }
}
