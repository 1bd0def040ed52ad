package dev.warren.broker.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a message goes from an exchange, with RabbitMQ's extensions on top of plain routing: every
 * routing key of the publish (its own plus CC and BCC) and, when nothing matches, the exchange's
 * {@code alternate-exchange}, its own or its policy's (followed in turn, each exchange at most
 * once).
 */
public final class MessageRoutes {
  private final VirtualHost host;

  public MessageRoutes(VirtualHost host) {
    this.host = host;
  }

  /** Collects the queues for a message with the given routing keys into {@code into}. */
  public void collect(
      Exchange exchange, List<String> routingKeys, Map<String, Object> headers, RoutedQueues into) {
    route(exchange, routingKeys, headers, into);
    if (!into.isEmpty() || exchange.isDefault()) {
      return;
    }
    Set<String> tried = null;
    for (Exchange current = exchange; into.isEmpty(); ) {
      String alternate = current.alternateExchange();
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
      route(current, routingKeys, headers, into);
    }
  }

  /**
   * Collects the queues a message reaches from an exchange, following exchange-to-exchange
   * bindings. Every exchange on the way matches the message's whole set of routing keys (its own,
   * CC and BCC), as RabbitMQ's do: a CC key may lead to an exchange whose binding only a BCC key
   * matches. The default exchange routes to the queues named by the keys.
   */
  private void route(
      Exchange exchange, List<String> routingKeys, Map<String, Object> headers, RoutedQueues into) {
    int keys = routingKeys.size();
    if (exchange.isDefault()) {
      for (int i = 0; i < keys; i++) {
        Queue queue = host.queue(routingKeys.get(i));
        if (queue != null) {
          into.accept(queue);
        }
      }
      return;
    }
    into.visitSource(exchange);
    for (Exchange next = exchange; next != null; next = into.nextExchange()) {
      for (int i = 0; i < keys; i++) {
        next.router().route(routingKeys.get(i), headers, into);
      }
    }
  }

  /** The routing keys of a publish: its own, then those of its CC and BCC headers. */
  public static List<String> routingKeys(Message message) {
    return SenderSelected.routingKeys(message.routingKey(), message.properties().headers());
  }
}
