package dev.warren.rar.adapter.inbound;

import dev.warren.rar.api.AmqpMessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code @ActivationConfigProperty} values of an MDB. Only {@code queue} is required; with
 * {@code exchange} set, the exchange is declared and the queue bound to it once per routing key.
 * The container fills this JavaBean, {@link #validate} checks it, {@link #toConfig} freezes it.
 */
@Activation(messageListeners = AmqpMessageListener.class)
public class AmqpActivationSpec implements ActivationSpec {
  private static final Set<String> EXCHANGE_TYPES = Set.of("direct", "fanout", "topic", "headers");

  private ResourceAdapter resourceAdapter;
  private String queue;
  private String exchange;
  private String exchangeType = "direct";
  private String routingKeys;
  private boolean durable = true;
  private boolean exclusive;
  private boolean autoDelete;
  private String queueArguments;
  private int prefetch = 10;
  private int maxConcurrency = 1;
  private int maxDeliveries = 5;

  @Override
  public void validate() throws InvalidPropertyException {
    if (queue == null || queue.isBlank()) {
      throw invalid("queue", "is required");
    }
    if (!EXCHANGE_TYPES.contains(exchangeType)) {
      throw invalid("exchangeType", "must be one of " + EXCHANGE_TYPES + ", not " + exchangeType);
    }
    if (routingKeys != null && !routingKeys.isBlank() && isBlank(exchange)) {
      throw invalid("routingKeys", "need an exchange to bind to");
    }
    if (prefetch < 1 || prefetch > 65535) {
      throw invalid("prefetch", "must be between 1 and 65535, not " + prefetch);
    }
    if (maxConcurrency < 1) {
      throw invalid("maxConcurrency", "must be at least 1, not " + maxConcurrency);
    }
    if (maxDeliveries < 1) {
      throw invalid("maxDeliveries", "must be at least 1, not " + maxDeliveries);
    }
    parseArguments();
  }

  public ActivationConfig toConfig() throws InvalidPropertyException {
    List<String> keys =
        isBlank(routingKeys)
            ? List.of()
            : Arrays.stream(routingKeys.split(",")).map(String::trim).toList();
    return new ActivationConfig(
        queue,
        isBlank(exchange) ? null : exchange,
        exchangeType,
        keys,
        durable,
        exclusive,
        autoDelete,
        parseArguments(),
        prefetch,
        maxConcurrency,
        maxDeliveries);
  }

  /**
   * "x-max-length=100, x-dead-letter-exchange=dlx": whole numbers become longs, as RabbitMQ
   * expects.
   */
  private Map<String, Object> parseArguments() throws InvalidPropertyException {
    Map<String, Object> arguments = new LinkedHashMap<>();
    if (isBlank(queueArguments)) {
      return arguments;
    }
    for (String pair : queueArguments.split(",")) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw invalid("queueArguments", "expects name=value pairs, got '" + pair.trim() + "'");
      }
      String value = pair.substring(equals + 1).trim();
      arguments.put(
          pair.substring(0, equals).trim(), value.matches("-?\\d+") ? Long.valueOf(value) : value);
    }
    return arguments;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static InvalidPropertyException invalid(String property, String problem) {
    return new InvalidPropertyException("activation property '" + property + "' " + problem);
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
    this.resourceAdapter = ra;
  }

  public String getQueue() {
    return queue;
  }

  public void setQueue(String queue) {
    this.queue = queue;
  }

  public String getExchange() {
    return exchange;
  }

  public void setExchange(String exchange) {
    this.exchange = exchange;
  }

  public String getExchangeType() {
    return exchangeType;
  }

  public void setExchangeType(String exchangeType) {
    this.exchangeType = exchangeType;
  }

  public String getRoutingKeys() {
    return routingKeys;
  }

  public void setRoutingKeys(String routingKeys) {
    this.routingKeys = routingKeys;
  }

  public Boolean getDurable() {
    return durable;
  }

  public void setDurable(Boolean durable) {
    this.durable = durable;
  }

  public Boolean getExclusive() {
    return exclusive;
  }

  public void setExclusive(Boolean exclusive) {
    this.exclusive = exclusive;
  }

  public Boolean getAutoDelete() {
    return autoDelete;
  }

  public void setAutoDelete(Boolean autoDelete) {
    this.autoDelete = autoDelete;
  }

  public String getQueueArguments() {
    return queueArguments;
  }

  public void setQueueArguments(String queueArguments) {
    this.queueArguments = queueArguments;
  }

  public Integer getPrefetch() {
    return prefetch;
  }

  public void setPrefetch(Integer prefetch) {
    this.prefetch = prefetch;
  }

  public Integer getMaxConcurrency() {
    return maxConcurrency;
  }

  public void setMaxConcurrency(Integer maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
  }

  public Integer getMaxDeliveries() {
    return maxDeliveries;
  }

  public void setMaxDeliveries(Integer maxDeliveries) {
    this.maxDeliveries = maxDeliveries;
  }
}
