package dev.warren.sample;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.MessageProperties;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The EJB producer. Its methods run in a container transaction, so a publish leaves the server only
 * when the method's transaction commits.
 */
@Stateless
public class MessagePublisher {
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);

  @Resource(name = "warren/ConnectionFactory")
  AmqpConnectionFactory connectionFactory;

  @Resource SessionContext context;

  /** Persistent text message; routed when the caller's transaction commits. */
  public void publish(String exchange, String routingKey, String text) {
    publish(exchange, routingKey, text, Map.of());
  }

  public void publish(
      String exchange, String routingKey, String text, Map<String, Object> headers) {
    try (AmqpConnection connection = connectionFactory.getConnection()) {
      connection.publish(
          exchange,
          routingKey,
          MessageProperties.builder()
              .persistent()
              .contentType("text/plain")
              .headers(headers)
              .build(),
          text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Publishes, then marks the transaction for rollback: nothing must be delivered. */
  public void publishThenRollBack(String exchange, String routingKey, String text) {
    publish(exchange, routingKey, text);
    context.setRollbackOnly();
  }

  /** The RPC client of tutorial 6: asks the {@link FibonacciRpcServer} for fib(n). */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public long fibonacci(int n) {
    try (AmqpConnection connection = connectionFactory.getConnection()) {
      AmqpMessage reply =
          connection.rpc(
              "",
              "rpc_queue",
              MessageProperties.EMPTY,
              Integer.toString(n).getBytes(StandardCharsets.UTF_8),
              RPC_TIMEOUT);
      return Long.parseLong(reply.bodyAsString());
    }
  }
}
