package dev.warren.broker.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The durable topology as the log describes it: what a replay rebuilds and what a compaction
 * writes. Every change is idempotent (a record applied twice leaves the same state), which lets the
 * log be compacted while later records are still on their way to it. Thread-safe.
 */
public final class StoredTopology {

  public record ExchangeRecord(
      String virtualHost,
      String name,
      String type,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {}

  public record QueueRecord(
      String virtualHost, String name, int id, Map<String, Object> arguments) {}

  public record BindingRecord(
      String virtualHost,
      String source,
      boolean toQueue,
      String destination,
      String routingKey,
      Map<String, Object> arguments) {}

  private record Key(String virtualHost, String name) {}

  private final Map<Key, ExchangeRecord> exchanges = new LinkedHashMap<>();
  private final Map<Key, QueueRecord> queues = new LinkedHashMap<>();
  private final Set<BindingRecord> bindings = new LinkedHashSet<>();
  private int lastQueueId;

  /** Returns false if it was already there (nothing to log). */
  synchronized boolean putExchange(ExchangeRecord exchange) {
    return !exchange.equals(
        exchanges.put(new Key(exchange.virtualHost(), exchange.name()), exchange));
  }

  synchronized boolean removeExchange(String virtualHost, String name) {
    bindings.removeIf(
        b ->
            b.virtualHost().equals(virtualHost)
                && (b.source().equals(name) || (!b.toQueue() && b.destination().equals(name))));
    return exchanges.remove(new Key(virtualHost, name)) != null;
  }

  /** The queue's record; a new id is assigned unless the queue is already known. */
  synchronized QueueRecord putQueue(String virtualHost, String name, Map<String, Object> args) {
    return queues.computeIfAbsent(
        new Key(virtualHost, name), k -> new QueueRecord(virtualHost, name, ++lastQueueId, args));
  }

  /** Replays a queue record with the id it was given when first declared. */
  synchronized void putQueue(QueueRecord queue) {
    queues.put(new Key(queue.virtualHost(), queue.name()), queue);
    lastQueueId = Math.max(lastQueueId, queue.id());
  }

  synchronized boolean removeQueue(String virtualHost, String name) {
    bindings.removeIf(
        b -> b.virtualHost().equals(virtualHost) && b.toQueue() && b.destination().equals(name));
    return queues.remove(new Key(virtualHost, name)) != null;
  }

  /**
   * Removes everything of a virtual host.
   *
   * @return the log records of the deletions (bindings go with their queues and exchanges)
   */
  synchronized List<byte[]> removeVirtualHost(String virtualHost) {
    List<byte[]> deletions = new ArrayList<>();
    bindings.removeIf(b -> b.virtualHost().equals(virtualHost));
    for (Key key : List.copyOf(queues.keySet())) {
      if (key.virtualHost().equals(virtualHost)) {
        queues.remove(key);
        deletions.add(TopologyLog.deleteQueue(virtualHost, key.name()));
      }
    }
    for (Key key : List.copyOf(exchanges.keySet())) {
      if (key.virtualHost().equals(virtualHost)) {
        exchanges.remove(key);
        deletions.add(TopologyLog.deleteExchange(virtualHost, key.name()));
      }
    }
    return deletions;
  }

  synchronized boolean putBinding(BindingRecord binding) {
    return bindings.add(binding);
  }

  synchronized boolean removeBinding(BindingRecord binding) {
    return bindings.remove(binding);
  }

  synchronized int size() {
    return exchanges.size() + queues.size() + bindings.size();
  }

  /** A consistent copy, exchanges first, then queues, then bindings (the replay order). */
  synchronized Snapshot snapshot() {
    return new Snapshot(
        List.copyOf(exchanges.values()), List.copyOf(queues.values()), new ArrayList<>(bindings));
  }

  public record Snapshot(
      List<ExchangeRecord> exchanges, List<QueueRecord> queues, List<BindingRecord> bindings) {}
}
