package dev.warren.broker.model;

import dev.warren.broker.routing.DirectRouter;
import dev.warren.broker.routing.FanoutRouter;
import dev.warren.broker.routing.HeadersRouter;
import dev.warren.broker.routing.Router;
import dev.warren.broker.routing.TopicRouter;
import java.util.Optional;

/** The exchange types Warren knows, by their AMQP names. */
public enum ExchangeType {
  DIRECT("direct"),
  FANOUT("fanout"),
  TOPIC("topic"),
  HEADERS("headers");

  private final String wireName;

  ExchangeType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ExchangeType> of(String wireName) {
    for (ExchangeType type : values()) {
      if (type.wireName.equals(wireName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  Router<Destination> newRouter() {
    return switch (this) {
      case DIRECT -> new DirectRouter<>();
      case FANOUT -> new FanoutRouter<>();
      case TOPIC -> new TopicRouter<>();
      case HEADERS -> new HeadersRouter<>();
    };
  }
}
