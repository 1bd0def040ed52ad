package dev.warren.it.crash.clusterapp;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.MessageProperties;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Publishes a batch of persistent messages to the cluster's quorum queue in one container-managed
 * transaction, through the adapter's XA connection factory: all of them are routed when the
 * transaction commits (the commit returns once a majority of the cluster has them), none when it
 * rolls back.
 */
@Stateless
public class OrderPublisher {
  public static final String QUEUE = "cluster.orders";

  /** The queue's arguments, the same in the MDB's activation ({@code queueArguments}). */
  public static final String QUEUE_ARGUMENTS = "x-queue-type=quorum";

  @Resource(name = "warren/ConnectionFactory")
  AmqpConnectionFactory connectionFactory;

  @Resource SessionContext context;

  /**
   * Messages {@code batch-0} to {@code batch-(count-1)}; the transaction rolls back unless commit.
   */
  public void publish(String batch, int count, boolean commit) {
    try (AmqpConnection connection = connectionFactory.getConnection()) {
      connection.declareQueue(QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
      for (int i = 0; i < count; i++) {
        connection.publish(
            "",
            QUEUE,
            MessageProperties.builder().persistent().build(),
            (batch + "-" + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!commit) {
      context.setRollbackOnly();
    }
  }
}
