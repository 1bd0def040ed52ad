package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A consumer that queues what the broker delivers so a test can take it with a deadline. */
public class RecordingConsumer extends DefaultConsumer {
  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private final CountDownLatch consumeOk = new CountDownLatch(1);
  private final CountDownLatch cancelledByBroker = new CountDownLatch(1);
  private final CountDownLatch cancelOk = new CountDownLatch(1);

  public RecordingConsumer(Channel channel) {
    super(channel);
  }

  @Override
  public void handleConsumeOk(String consumerTag) {
    super.handleConsumeOk(consumerTag);
    consumeOk.countDown();
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    deliveries.add(new Delivery(envelope, properties, body));
  }

  @Override
  public void handleCancel(String consumerTag) {
    cancelledByBroker.countDown();
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    cancelOk.countDown();
  }

  /** The next delivery; fails if none arrives in time. */
  public Delivery next() throws InterruptedException {
    Delivery delivery = deliveries.poll(ClientTestBase.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(delivery, "no delivery within " + ClientTestBase.TIMEOUT);
    return delivery;
  }

  public String nextBody() throws InterruptedException {
    return ClientTestBase.text(next().getBody());
  }

  /** Asserts that nothing (more) is delivered for a short while. */
  public void assertNothingDelivered() throws InterruptedException {
    Delivery delivery = deliveries.poll(ClientTestBase.ABSENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertNull(delivery, () -> "unexpected delivery: " + ClientTestBase.text(delivery.getBody()));
  }

  public int received() {
    return deliveries.size();
  }

  public void awaitConsumeOk() throws InterruptedException {
    assertTrue(consumeOk.await(ClientTestBase.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }

  public void awaitCancelOk() throws InterruptedException {
    assertTrue(cancelOk.await(ClientTestBase.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Waits for a basic.cancel sent by the broker (e.g. because the queue was deleted). */
  public boolean awaitCancelledByBroker() throws InterruptedException {
    return cancelledByBroker.await(ClientTestBase.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
