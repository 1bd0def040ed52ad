package dev.warren.broker.model;

import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import java.util.Map;

/**
 * A change of a virtual host's topology as data: what a channel asks for, applied by the virtual
 * host's own rules. A broker that is not clustered applies it at once; a cluster puts it in the
 * metadata log and every node applies it in log order, so the outcome (including a refusal) is the
 * same everywhere. Only what every node knows may decide the outcome: a change whose conditions
 * depend on one node's messages or consumers is checked there before it is logged.
 *
 * @param <R> what the change returns to the channel that asked for it
 */
public sealed interface TopologyChange<R> {

  R applyTo(VirtualHost host);

  record DeclareExchange(ExchangeDeclaration declaration) implements TopologyChange<Void> {
    @Override
    public Void applyTo(VirtualHost host) {
      host.declareExchange(declaration);
      return null;
    }
  }

  record DeleteExchange(String name, boolean ifUnused) implements TopologyChange<Void> {
    @Override
    public Void applyTo(VirtualHost host) {
      host.deleteExchange(name, ifUnused);
      return null;
    }
  }

  /**
   * @param declaration as the client sent it
   * @param owner the declaring connection, the owner if the queue is exclusive
   * @param home the node whose client declared it, which runs its x-expires and auto-delete
   * @param serverName the name chosen for a declaration without one, or null to choose it when
   *     applied (a cluster chooses it before logging, so that every node creates the same queue)
   */
  record DeclareQueue(
      QueueDeclaration declaration, QueueOwner owner, String home, String serverName)
      implements TopologyChange<VirtualHost.QueueDeclared> {
    @Override
    public VirtualHost.QueueDeclared applyTo(VirtualHost host) {
      return host.declareQueue(declaration, owner, home, serverName);
    }

    /** The queue's name, once known. */
    public String name() {
      return declaration.name().isEmpty() ? serverName : declaration.name();
    }
  }

  /** queue.delete; on a cluster logged with both conditions false, once checked where it ran. */
  record DeleteQueue(String name, QueueOwner owner, boolean ifUnused, boolean ifEmpty)
      implements TopologyChange<Integer> {
    @Override
    public Integer applyTo(VirtualHost host) {
      return host.deleteQueue(name, owner, ifUnused, ifEmpty);
    }
  }

  record BindQueue(
      String queue,
      String exchange,
      String routingKey,
      Map<String, Object> arguments,
      QueueOwner owner,
      boolean bind)
      implements TopologyChange<Void> {
    @Override
    public Void applyTo(VirtualHost host) {
      if (bind) {
        host.bindQueue(queue, exchange, routingKey, arguments, owner);
      } else {
        host.unbindQueue(queue, exchange, routingKey, arguments, owner);
      }
      return null;
    }
  }

  record BindExchange(
      String destination,
      String source,
      String routingKey,
      Map<String, Object> arguments,
      boolean bind)
      implements TopologyChange<Void> {
    @Override
    public Void applyTo(VirtualHost host) {
      if (bind) {
        host.bindExchange(destination, source, routingKey, arguments);
      } else {
        host.unbindExchange(destination, source, routingKey, arguments);
      }
      return null;
    }
  }
}
