package dev.warren.broker.routing;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Fanout exchange: every binding matches, whatever the routing key. */
public final class FanoutRouter<D> implements Router<D> {
  private volatile List<Binding<D>> bindings = List.of();

  @Override
  public synchronized boolean bind(Binding<D> binding) {
    if (bindings.contains(binding)) {
      return false;
    }
    bindings = CopyOnWrite.with(bindings, binding);
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding<D> binding) {
    if (!bindings.contains(binding)) {
      return false;
    }
    bindings = CopyOnWrite.without(bindings, binding);
    return true;
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<? super D> sink) {
    List<Binding<D>> current = bindings;
    for (int i = 0; i < current.size(); i++) {
      sink.accept(current.get(i).destination());
    }
  }

  @Override
  public List<Binding<D>> bindings() {
    return bindings;
  }

  @Override
  public boolean isEmpty() {
    return bindings.isEmpty();
  }
}
