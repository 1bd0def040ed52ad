package dev.warren.broker.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable-list helpers: routers publish a fresh list on every change so that publishers can
 * iterate without locks or iterator allocation.
 */
final class CopyOnWrite {
  private CopyOnWrite() {}

  static <T> List<T> with(List<T> list, T element) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(element);
    return List.copyOf(copy);
  }

  static <T> List<T> without(List<T> list, T element) {
    List<T> copy = new ArrayList<>(list);
    copy.remove(element);
    return List.copyOf(copy);
  }
}
