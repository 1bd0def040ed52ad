package dev.warren.broker.model;

import dev.warren.broker.routing.Binding;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bindings of a virtual host: queue.bind and exchange.bind (and their unbinds) with RabbitMQ's
 * rules, and the cascades of a deletion. Each binding lives in its source exchange's router and is
 * remembered here from its destination's side, so that deleting a queue or an exchange removes the
 * bindings to it, and an auto-delete exchange goes with its last binding. Changes run under the
 * virtual host's topology lock, which the cascades expect to be held already.
 */
final class VirtualHostBindings {
  private final String virtualHost;
  private final Object topologyLock;
  private final Map<String, Exchange> exchanges;
  private final Map<String, Queue> queues;
  private final Persistence persistence;

  /** For each destination, the bindings that point at it: deletions cascade through this. */
  private final Map<Destination, Set<Edge>> incoming = new HashMap<>();

  /** The virtual host's own lock and registries, shared with it. */
  VirtualHostBindings(
      String virtualHost,
      Object topologyLock,
      Map<String, Exchange> exchanges,
      Map<String, Queue> queues,
      Persistence persistence) {
    this.virtualHost = virtualHost;
    this.topologyLock = topologyLock;
    this.exchanges = exchanges;
    this.queues = queues;
    this.persistence = persistence;
  }

  /**
   * queue.bind, or queue.unbind, which is idempotent as in RabbitMQ 3.x: a missing binding, queue
   * or exchange is not an error.
   */
  void changeQueueBinding(
      boolean bind,
      String queueName,
      String exchangeName,
      String routingKey,
      Map<String, Object> arguments,
      Object connection) {
    if (exchangeName.isEmpty()) {
      throw Rejections.defaultExchangeRefused();
    }
    synchronized (topologyLock) {
      Exchange source = exchanges.get(exchangeName);
      Queue queue = queues.get(queueName);
      if (!bind && (source == null || queue == null)) {
        return;
      }
      if (source == null) {
        throw Rejections.noExchange(virtualHost, exchangeName);
      }
      if (queue == null) {
        throw Rejections.noQueue(virtualHost, queueName);
      }
      if (!queue.accessibleTo(connection)) {
        throw Rejections.exclusiveQueueLocked(virtualHost, queueName);
      }
      changeBinding(bind, source, queue, routingKey, arguments);
    }
  }

  /** exchange.bind, or exchange.unbind, idempotent as queue.unbind. */
  void changeExchangeBinding(
      boolean bind,
      String destinationName,
      String sourceName,
      String routingKey,
      Map<String, Object> arguments) {
    if (destinationName.isEmpty() || sourceName.isEmpty()) {
      throw Rejections.defaultExchangeRefused();
    }
    synchronized (topologyLock) {
      Exchange source = exchanges.get(sourceName);
      Exchange destination = exchanges.get(destinationName);
      if (!bind && (source == null || destination == null)) {
        return;
      }
      if (source == null) {
        throw Rejections.noExchange(virtualHost, sourceName);
      }
      if (destination == null) {
        throw Rejections.noExchange(virtualHost, destinationName);
      }
      changeBinding(bind, source, destination, routingKey, arguments);
    }
  }

  private void changeBinding(
      boolean bind,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    Binding<Destination> binding =
        new Binding<>(routingKey, Arguments.copyOf(arguments), destination);
    Edge edge = new Edge(source, binding);
    if (bind) {
      try {
        if (source.router().bind(binding)) {
          incoming.computeIfAbsent(destination, d -> new HashSet<>()).add(edge);
          persistence.bound(virtualHost, source, destination, routingKey, binding.arguments());
        }
      } catch (IllegalArgumentException invalid) {
        throw Rejections.invalidBinding(invalid.getMessage());
      }
    } else if (source.router().unbind(binding)) {
      forgetIncoming(edge);
      persistence.unbound(virtualHost, source, destination, routingKey, binding.arguments());
      deleteIfUnusedAutoDelete(source);
    }
  }

  // --- cascades (topology lock held)

  /** Removes an exchange with its bindings, both ways. */
  void removeExchange(Exchange exchange) {
    exchanges.remove(exchange.name(), exchange);
    persistence.exchangeDeleted(virtualHost, exchange);
    for (Binding<Destination> binding : exchange.router().bindings()) {
      forgetIncoming(new Edge(exchange, binding));
    }
    removeBindingsTo(exchange);
  }

  /** Removes the bindings to a queue or exchange that is being deleted. */
  void removeBindingsTo(Destination destination) {
    Set<Edge> edges = incoming.remove(destination);
    if (edges == null) {
      return;
    }
    for (Edge edge : List.copyOf(edges)) {
      edge.source().router().unbind(edge.binding());
      deleteIfUnusedAutoDelete(edge.source());
    }
  }

  private void forgetIncoming(Edge edge) {
    Set<Edge> edges = incoming.get(edge.binding().destination());
    if (edges != null && edges.remove(edge) && edges.isEmpty()) {
      incoming.remove(edge.binding().destination());
    }
  }

  /** An auto-delete exchange goes when its last binding as a source goes. */
  private void deleteIfUnusedAutoDelete(Exchange exchange) {
    if (exchange.autoDelete()
        && exchange.router().isEmpty()
        && exchanges.get(exchange.name()) == exchange) {
      removeExchange(exchange);
    }
  }

  /** A binding seen from its destination. */
  private record Edge(Exchange source, Binding<Destination> binding) {}
}
