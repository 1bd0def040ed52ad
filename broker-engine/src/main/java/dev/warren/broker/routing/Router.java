package dev.warren.broker.routing;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The routing table of one exchange. Mutations are rare and serialised by the caller's topology
 * lock; {@link #route} runs concurrently with them on many publisher threads and never blocks.
 *
 * @param <D> what a binding points at (a queue or an exchange)
 */
public sealed interface Router<D> permits DirectRouter, FanoutRouter, TopicRouter, HeadersRouter {

  /**
   * Adds a binding.
   *
   * @return false if an identical binding already existed (re-binding is idempotent)
   * @throws IllegalArgumentException if the exchange type rejects the binding's arguments
   */
  boolean bind(Binding<D> binding);

  /** Returns false if there was no such binding. */
  boolean unbind(Binding<D> binding);

  /**
   * Hands every destination whose binding matches to the sink. A destination may be handed over
   * more than once when several of its bindings match; the sink de-duplicates.
   */
  void route(String routingKey, Map<String, Object> headers, Consumer<? super D> sink);

  /** Every binding, for deletion cascades and listings; a snapshot. */
  List<Binding<D>> bindings();

  boolean isEmpty();
}
