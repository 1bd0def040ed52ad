package dev.warren.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Headers exchange: a binding matches on the message's headers, compared with its arguments as
 * RabbitMQ does (see {@link HeadersPattern}). The routing key plays no part.
 */
public final class HeadersRouter<D> implements Router<D> {
  private volatile List<Compiled<D>> compiled = List.of();

  @Override
  public synchronized boolean bind(Binding<D> binding) {
    if (indexOf(binding) >= 0) {
      return false;
    }
    HeadersPattern pattern = HeadersPattern.compile(binding.arguments());
    List<Compiled<D>> copy = new ArrayList<>(compiled);
    copy.add(new Compiled<>(binding, pattern));
    compiled = List.copyOf(copy);
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding<D> binding) {
    int index = indexOf(binding);
    if (index < 0) {
      return false;
    }
    List<Compiled<D>> copy = new ArrayList<>(compiled);
    copy.remove(index);
    compiled = List.copyOf(copy);
    return true;
  }

  private int indexOf(Binding<D> binding) {
    List<Compiled<D>> current = compiled;
    for (int i = 0; i < current.size(); i++) {
      if (current.get(i).binding.equals(binding)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<? super D> sink) {
    Map<String, Object> actual = headers == null ? Map.of() : headers;
    List<Compiled<D>> current = compiled;
    for (int i = 0; i < current.size(); i++) {
      Compiled<D> candidate = current.get(i);
      if (candidate.pattern.matches(actual)) {
        sink.accept(candidate.binding.destination());
      }
    }
  }

  @Override
  public List<Binding<D>> bindings() {
    return compiled.stream().map(Compiled::binding).toList();
  }

  @Override
  public boolean isEmpty() {
    return compiled.isEmpty();
  }

  private record Compiled<D>(Binding<D> binding, HeadersPattern pattern) {}
}
