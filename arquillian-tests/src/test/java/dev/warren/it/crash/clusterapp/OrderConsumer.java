package dev.warren.it.crash.clusterapp;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import dev.warren.rar.api.MessageProperties;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Records every message of the quorum queue it is given (the container's transaction acks it). A
 * message whose body starts with {@link #PROCESSED_PREFIX} is processed slowly and its body is
 * published to {@link #PROCESSED} in the same transaction, so that the queue of processed messages
 * tells, after this server is killed, which deliveries it committed: the ack and the publish commit
 * together or not at all.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = OrderPublisher.QUEUE),
      @ActivationConfigProperty(
          propertyName = "queueArguments",
          propertyValue = OrderPublisher.QUEUE_ARGUMENTS)
    })
public class OrderConsumer implements AmqpMessageListener {
  public static final String PROCESSED_PREFIX = "late-";
  public static final String PROCESSED = "cluster.orders.processed";

  /** Long enough that a kill lands while deliveries are in progress. */
  private static final long PROCESSING_MILLIS = 100;

  @EJB ReceivedOrders received;

  @Resource(name = "warren/ConnectionFactory")
  AmqpConnectionFactory connectionFactory;

  @Override
  public void onMessage(AmqpMessage message) {
    String body = message.bodyAsString();
    received.add(body);
    if (!body.startsWith(PROCESSED_PREFIX)) {
      return;
    }
    LockSupport.parkNanos(PROCESSING_MILLIS * 1_000_000);
    try (AmqpConnection connection = connectionFactory.getConnection()) {
      connection.declareQueue(PROCESSED, true, false, false, Map.of("x-queue-type", "quorum"));
      connection.publish(
          "",
          PROCESSED,
          MessageProperties.builder().persistent().build(),
          body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
