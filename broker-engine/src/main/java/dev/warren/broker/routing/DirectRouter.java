package dev.warren.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Direct exchange: a binding matches when its key equals the routing key; one hash lookup. */
public final class DirectRouter<D> implements Router<D> {
  private final Map<String, List<Binding<D>>> byKey = new ConcurrentHashMap<>();

  @Override
  public synchronized boolean bind(Binding<D> binding) {
    List<Binding<D>> current = byKey.getOrDefault(binding.routingKey(), List.of());
    if (current.contains(binding)) {
      return false;
    }
    byKey.put(binding.routingKey(), CopyOnWrite.with(current, binding));
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding<D> binding) {
    List<Binding<D>> current = byKey.get(binding.routingKey());
    if (current == null || !current.contains(binding)) {
      return false;
    }
    List<Binding<D>> remaining = CopyOnWrite.without(current, binding);
    if (remaining.isEmpty()) {
      byKey.remove(binding.routingKey());
    } else {
      byKey.put(binding.routingKey(), remaining);
    }
    return true;
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<? super D> sink) {
    List<Binding<D>> matches = byKey.get(routingKey);
    if (matches != null) {
      for (int i = 0; i < matches.size(); i++) {
        sink.accept(matches.get(i).destination());
      }
    }
  }

  @Override
  public List<Binding<D>> bindings() {
    List<Binding<D>> all = new ArrayList<>();
    byKey.values().forEach(all::addAll);
    return all;
  }

  @Override
  public boolean isEmpty() {
    return byKey.isEmpty();
  }
}
