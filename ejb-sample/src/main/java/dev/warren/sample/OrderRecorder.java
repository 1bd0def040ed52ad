package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/**
 * Exactly-once processing: the row is written in the same transaction that acknowledges the
 * message. If anything fails after the insert, the transaction rolls back — the row disappears and
 * the message comes back — so each order ends up in the table once.
 *
 * <p>To demonstrate it, a message with the header {@code x-fail-deliveries=N} (a number, or its
 * text as command-line clients such as {@code amqp-publish -H} send it) fails its first N
 * deliveries after writing its row. After {@code maxDeliveries} failed deliveries the message is
 * parked in the {@code warren.parking} queue instead of being retried forever.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "sample.orders"),
      @ActivationConfigProperty(propertyName = "maxDeliveries", propertyValue = "3")
    })
public class OrderRecorder implements AmqpMessageListener {
  public static final String FAIL_HEADER = "x-fail-deliveries";

  @EJB OrderLedger ledger;
  @EJB ReceivedMessages received;

  @Override
  public void onMessage(AmqpMessage message) {
    received.record("orders", message);
    ledger.insert(message.bodyAsString());
    if (message.deliveryCount() <= failuresToInject(message.headers().get(FAIL_HEADER))) {
      throw new IllegalStateException(
          "injected failure on delivery "
              + message.deliveryCount()
              + " of "
              + message.bodyAsString());
    }
  }

  private static int failuresToInject(Object header) {
    if (header instanceof Number number) {
      return number.intValue();
    }
    if (header != null && header.toString().trim().matches("\\d{1,9}")) {
      return Integer.parseInt(header.toString().trim());
    }
    return 0;
  }
}
