package dev.warren.broker.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reusable scratch space for routing one message: collects each queue once, however many bindings
 * and exchange-to-exchange paths lead to it, and walks exchange bindings without revisiting an
 * exchange (so cycles are harmless). One instance per publishing channel; not thread-safe. Its
 * identity map allocates nothing per entry, so routing allocates nothing in the steady state.
 */
public final class RoutedQueues implements Consumer<Destination> {
  private final IdentityHashMap<Destination, Boolean> seen = new IdentityHashMap<>();
  private final List<Queue> queues = new ArrayList<>();
  private final ArrayDeque<Exchange> pendingExchanges = new ArrayDeque<>();

  @Override
  public void accept(Destination destination) {
    if (seen.put(destination, Boolean.TRUE) != null) {
      return;
    }
    if (destination instanceof Queue queue) {
      queues.add(queue);
    } else if (destination instanceof Exchange exchange) {
      pendingExchanges.addLast(exchange);
    }
  }

  void visitSource(Exchange source) {
    seen.put(source, Boolean.TRUE);
  }

  Exchange nextExchange() {
    return pendingExchanges.pollFirst();
  }

  public List<Queue> queues() {
    return queues;
  }

  public boolean isEmpty() {
    return queues.isEmpty();
  }

  public void clear() {
    if (!seen.isEmpty()) {
      seen.clear();
    }
    queues.clear();
    pendingExchanges.clear();
  }
}
