package dev.warren.broker.cluster;

import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.model.Destination;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueOwner;
import dev.warren.broker.model.ReadyMessages;
import dev.warren.broker.model.TopologyChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topology a node's model holds, as the commands that would declare it again: what a snapshot
 * of the metadata log contains. It sees every change (cascades included) through the model's
 * persistence hooks, and passes every call on to the store underneath, which keeps the node's own
 * durable queues and messages. Every method of {@link Persistence} is forwarded.
 */
final class TopologyRecords implements Persistence {
  private record Key(String virtualHost, String name) {}

  private record BindingKey(
      String virtualHost,
      String source,
      boolean toQueue,
      String destination,
      String routingKey,
      Map<String, Object> arguments) {}

  private final Persistence store;
  private final Map<Key, ExchangeDeclaration> exchanges = new LinkedHashMap<>();
  private final Map<Key, TopologyChange.DeclareQueue> queues = new LinkedHashMap<>();
  private final Set<BindingKey> bindings = new LinkedHashSet<>();

  TopologyRecords(Persistence store) {
    this.store = store;
  }

  /** Exchanges, then queues, then bindings: the order in which they can be declared again. */
  synchronized List<MetadataCommand> commands() {
    List<MetadataCommand> commands = new ArrayList<>();
    exchanges.forEach(
        (key, declaration) ->
            commands.add(
                command(key.virtualHost(), new TopologyChange.DeclareExchange(declaration))));
    queues.forEach((key, declaration) -> commands.add(command(key.virtualHost(), declaration)));
    for (BindingKey b : bindings) {
      commands.add(command(b.virtualHost(), bindingChange(b, true)));
    }
    return commands;
  }

  /**
   * The deletions that remove whatever is here but not among {@code kept}, a snapshot's
   * declarations: bindings first, then queues, then exchanges.
   */
  synchronized List<MetadataCommand> deletionsNotIn(List<MetadataCommand> kept) {
    Set<Key> keptExchanges = new LinkedHashSet<>();
    Set<Key> keptQueues = new LinkedHashSet<>();
    Set<BindingKey> keptBindings = new LinkedHashSet<>();
    for (MetadataCommand command : kept) {
      String host = command.virtualHost();
      if (command.change() instanceof TopologyChange.DeclareExchange e) {
        keptExchanges.add(new Key(host, e.declaration().name()));
      } else if (command.change() instanceof TopologyChange.DeclareQueue q) {
        keptQueues.add(new Key(host, q.name()));
      } else if (command.change() instanceof TopologyChange.BindQueue b) {
        keptBindings.add(
            new BindingKey(host, b.exchange(), true, b.queue(), b.routingKey(), b.arguments()));
      } else if (command.change() instanceof TopologyChange.BindExchange b) {
        keptBindings.add(
            new BindingKey(
                host, b.source(), false, b.destination(), b.routingKey(), b.arguments()));
      }
    }
    List<MetadataCommand> deletions = new ArrayList<>();
    for (BindingKey b : bindings) {
      if (keptBindings.contains(b)) {
        continue;
      }
      deletions.add(command(b.virtualHost(), bindingChange(b, false)));
    }
    queues.forEach(
        (key, declaration) -> {
          if (!keptQueues.contains(key)) {
            deletions.add(
                command(
                    key.virtualHost(),
                    new TopologyChange.DeleteQueue(key.name(), declaration.owner(), false, false)));
          }
        });
    for (Key key : exchanges.keySet()) {
      if (!keptExchanges.contains(key)) {
        deletions.add(
            command(key.virtualHost(), new TopologyChange.DeleteExchange(key.name(), false)));
      }
    }
    return deletions;
  }

  private TopologyChange<?> bindingChange(BindingKey b, boolean bind) {
    return b.toQueue()
        ? new TopologyChange.BindQueue(
            b.destination(),
            b.source(),
            b.routingKey(),
            b.arguments(),
            ownerOf(b.virtualHost(), b.destination()),
            bind)
        : new TopologyChange.BindExchange(
            b.destination(), b.source(), b.routingKey(), b.arguments(), bind);
  }

  /** The owner of an exclusive queue, whom a binding to it must name; else null. */
  private QueueOwner ownerOf(String virtualHost, String queue) {
    TopologyChange.DeclareQueue declaration = queues.get(new Key(virtualHost, queue));
    return declaration == null ? null : declaration.owner();
  }

  private static MetadataCommand command(String virtualHost, TopologyChange<?> change) {
    return new MetadataCommand("", 0, virtualHost, change);
  }

  // --- topology hooks: recorded, then passed on

  @Override
  public void exchangeDeclared(String virtualHost, Exchange exchange) {
    synchronized (this) {
      exchanges.put(
          new Key(virtualHost, exchange.name()),
          new ExchangeDeclaration(
              exchange.name(),
              exchange.type().wireName(),
              exchange.durable(),
              exchange.autoDelete(),
              exchange.internal(),
              exchange.arguments()));
    }
    store.exchangeDeclared(virtualHost, exchange);
  }

  @Override
  public void exchangeDeleted(String virtualHost, Exchange exchange) {
    synchronized (this) {
      exchanges.remove(new Key(virtualHost, exchange.name()));
      bindings.removeIf(
          b ->
              b.virtualHost().equals(virtualHost)
                  && (b.source().equals(exchange.name())
                      || (!b.toQueue() && b.destination().equals(exchange.name()))));
    }
    store.exchangeDeleted(virtualHost, exchange);
  }

  @Override
  public void queueDeclared(String virtualHost, Queue queue) {
    QueueOwner owner = queue.exclusiveOwner() instanceof QueueOwner exclusive ? exclusive : null;
    synchronized (this) {
      queues.put(
          new Key(virtualHost, queue.name()),
          new TopologyChange.DeclareQueue(
              new QueueDeclaration(
                  queue.name(),
                  queue.durable(),
                  owner != null,
                  queue.autoDelete(),
                  queue.arguments()),
              owner,
              queue.homeNode(),
              null));
    }
    if (!queue.keptElsewhere()) {
      // a quorum queue's messages are in its own log, another node's classic queue's on that node
      store.queueDeclared(virtualHost, queue);
    }
  }

  @Override
  public void queueDeleted(String virtualHost, Queue queue) {
    synchronized (this) {
      queues.remove(new Key(virtualHost, queue.name()));
      bindings.removeIf(
          b ->
              b.virtualHost().equals(virtualHost)
                  && b.toQueue()
                  && b.destination().equals(queue.name()));
    }
    if (!queue.keptElsewhere()) {
      store.queueDeleted(virtualHost, queue);
    }
  }

  @Override
  public void bound(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    synchronized (this) {
      bindings.add(binding(virtualHost, source, destination, routingKey, arguments));
    }
    store.bound(virtualHost, source, destination, routingKey, arguments);
  }

  @Override
  public void unbound(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    synchronized (this) {
      bindings.remove(binding(virtualHost, source, destination, routingKey, arguments));
    }
    store.unbound(virtualHost, source, destination, routingKey, arguments);
  }

  private static BindingKey binding(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    return new BindingKey(
        virtualHost,
        source.name(),
        destination instanceof Queue,
        destination.name(),
        routingKey,
        arguments);
  }

  // --- messages: the store's business

  @Override
  public long store(Message message, List<Queue> queues, Synced callback) {
    return store.store(message, queues, callback);
  }

  @Override
  public void released(Queue queue, long storeId) {
    store.released(queue, storeId);
  }

  @Override
  public ReadyMessages pageable(Queue queue, ReadyMessages inMemory) {
    return store.pageable(queue, inMemory);
  }

  @Override
  public void sync(Synced callback) {
    store.sync(callback);
  }
}
