package dev.warren.broker.engine.api;

import java.util.Map;

/** exchange.declare's arguments, less passive (see {@link BrokerChannel#checkExchange}). */
public record ExchangeDeclaration(
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    Map<String, Object> arguments) {

  public ExchangeDeclaration {
    arguments = arguments == null ? Map.of() : arguments;
  }
}
