package dev.warren.broker.model;

import dev.warren.broker.metrics.ExchangeCounters;
import dev.warren.broker.routing.Router;
import java.util.Map;

/**
 * An exchange and its routing table. The default exchange ("") has no table: it routes to the queue
 * named by the routing key (see {@link MessageRoutes}).
 */
public final class Exchange implements Destination {
  private static final String ALTERNATE_EXCHANGE = "alternate-exchange";

  private final String name;
  private final ExchangeType type;
  private final boolean durable;
  private final boolean autoDelete;
  private final boolean internal;
  private final Map<String, Object> arguments;
  private final Router<Destination> router;
  private final ExchangeCounters counters = new ExchangeCounters();

  /** The alternate exchange the exchange's policy names, or null. */
  private volatile String policyAlternate;

  Exchange(
      String name,
      ExchangeType type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {
    this.name = name;
    this.type = type;
    this.durable = durable;
    this.autoDelete = autoDelete;
    this.internal = internal;
    this.arguments = arguments;
    this.router = type.newRouter();
  }

  @Override
  public String name() {
    return name;
  }

  public ExchangeType type() {
    return type;
  }

  public boolean durable() {
    return durable;
  }

  public boolean autoDelete() {
    return autoDelete;
  }

  public boolean internal() {
    return internal;
  }

  public Map<String, Object> arguments() {
    return arguments;
  }

  /**
   * Where unroutable messages go: the exchange's own {@code alternate-exchange} argument, else its
   * policy's (RabbitMQ's {@code rabbit_policy:get_arg}: the argument wins), or null.
   */
  public String alternateExchange() {
    String own = QueueArguments.textValue(arguments.get(ALTERNATE_EXCHANGE));
    return own != null ? own : policyAlternate;
  }

  /** The policy that applies to the exchange changed (an empty definition: none does). */
  void applyPolicy(Map<String, Object> definition) {
    policyAlternate = QueueArguments.textValue(definition.get(ALTERNATE_EXCHANGE));
  }

  public boolean isDefault() {
    return name.isEmpty();
  }

  public ExchangeCounters counters() {
    return counters;
  }

  Router<Destination> router() {
    return router;
  }
}
