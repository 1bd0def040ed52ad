package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/**
 * Tutorial 2, work queues: persistent tasks on a durable queue, two workers with prefetch 1, so a
 * busy worker gets no new task until it has acknowledged its current one (fair dispatch). Its queue
 * is the sample's own, not the tutorial's {@code task_queue}: a tutorial worker started next to the
 * server would otherwise share the tasks with this MDB and seem to miss most of them.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "sample.tasks"),
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
