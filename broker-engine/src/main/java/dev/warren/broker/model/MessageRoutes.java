package dev.warren.broker.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a message goes from an exchange, with RabbitMQ's extensions on top of plain routing: every
 * routing key of the publish (its own plus CC and BCC) and, when nothing matches, the exchange's
 * {@code alternate-exchange} (followed in turn, each exchange at most once).
 */
public final class MessageRoutes {
  private static final String ALTERNATE_EXCHANGE = "alternate-exchange";

  private final VirtualHost host;
  private final RoutedQueues perKey = new RoutedQueues();

  /** One per routing thread (a channel, a dead-lettering call): its scratch space is reused. */
  public MessageRoutes(VirtualHost host) {
    this.host = host;
  }

  /** Collects the queues for a message with the given routing keys into {@code into}. */
  public void collect(
      Exchange exchange, List<String> routingKeys, Map<String, Object> headers, RoutedQueues into) {
    routeAll(exchange, routingKeys, headers, into);
    if (!into.isEmpty() || exchange.isDefault()) {
      return;
    }
    Set<String> tried = null;
    for (Exchange current = exchange; into.isEmpty(); ) {
      String alternate = QueueArguments.textValue(current.arguments().get(ALTERNATE_EXCHANGE));
      if (alternate == null) {
        return;
      }
      if (tried == null) {
        tried = new HashSet<>();
        tried.add(exchange.name());
      }
      current = host.findExchange(alternate);
      if (current == null || !tried.add(alternate)) {
        return;
      }
      into.clear();
      routeAll(current, routingKeys, headers, into);
    }
  }

  /** The routing keys of a publish: its own, then those of its CC and BCC headers. */
  public static List<String> routingKeys(Message message) {
    return SenderSelected.routingKeys(message.routingKey(), message.properties().headers());
  }

  private void routeAll(
      Exchange exchange, List<String> routingKeys, Map<String, Object> headers, RoutedQueues into) {
    if (routingKeys.size() == 1) {
      host.route(exchange, routingKeys.get(0), headers, into);
      return;
    }
    // One pass per key: a walk through exchange-to-exchange bindings visits each exchange once.
    for (String key : routingKeys) {
      perKey.clear();
      host.route(exchange, key, headers, perKey);
      perKey.queues().forEach(into);
    }
    perKey.clear();
  }
}
