package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/**
 * Tutorial 2, work queues: persistent tasks on a durable queue, two workers with prefetch 1, so a
 * busy worker gets no new task until it has acknowledged its current one (fair dispatch).
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "task_queue"),
      @ActivationConfigProperty(propertyName = "prefetch", propertyValue = "1"),
      @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2")
    })
public class WorkQueueWorker implements AmqpMessageListener {
  @EJB ReceivedMessages received;

  @Override
  public void onMessage(AmqpMessage message) {
    received.record("worker", message);
  }
}
