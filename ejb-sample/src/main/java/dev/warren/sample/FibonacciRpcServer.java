package dev.warren.sample;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import dev.warren.rar.api.MessageProperties;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.nio.charset.StandardCharsets;

/**
 * Tutorial 6, RPC: answers fib(n) to the request's reply_to queue with its correlation_id. The
 * reply is published in the delivery's transaction, so it leaves only if the request is acked.
 */
@MessageDriven(
    activationConfig = {
      // declared as the RabbitMQ tutorial's clients declare it, so they can share it
      @ActivationConfigProperty(propertyName = "durable", propertyValue = "false"),
      @ActivationConfigProperty(propertyName = "queue", propertyValue = "rpc_queue")
    })
public class FibonacciRpcServer implements AmqpMessageListener {
  @Resource(name = "warren/ConnectionFactory")
  AmqpConnectionFactory connectionFactory;

  @Override
  public void onMessage(AmqpMessage request) {
    String replyTo = request.properties().replyTo();
    if (replyTo == null) {
      return;
    }
    long n = Long.parseLong(request.bodyAsString().trim());
    MessageProperties reply =
        MessageProperties.builder().correlationId(request.properties().correlationId()).build();
    try (AmqpConnection connection = connectionFactory.getConnection()) {
      connection.publish(
          "", replyTo, reply, Long.toString(fib(n)).getBytes(StandardCharsets.UTF_8));
    }
  }

  static long fib(long n) {
    long a = 0;
    long b = 1;
    for (long i = 0; i < n; i++) {
      long next = a + b;
      a = b;
      b = next;
    }
    return a;
  }
}
