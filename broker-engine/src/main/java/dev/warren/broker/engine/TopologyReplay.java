package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.store.StoredTopology;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Declares the stored durable topology again at start, through the virtual hosts' ordinary
 * operations (so every rule and hook applies): exchanges, then queues, then bindings. Something the
 * rules now refuse is logged and left out; it never stops the broker from starting.
 */
final class TopologyReplay {
  private static final System.Logger LOG = System.getLogger(TopologyReplay.class.getName());

  private TopologyReplay() {}

  /**
   * @param forget called once for each stored virtual host that no longer exists (it was deleted
   *     and its topology's deletion did not reach the log before a crash)
   */
  static void declare(
      StoredTopology.Snapshot topology,
      Function<String, VirtualHost> hosts,
      Consumer<String> forget) {
    Set<String> gone = new TreeSet<>();
    topology.exchanges().forEach(e -> collectGone(hosts, e.virtualHost(), gone));
    topology.queues().forEach(q -> collectGone(hosts, q.virtualHost(), gone));
    for (String vhost : gone) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Dropping the stored topology of virtual host {0}: it no longer exists",
          vhost);
      forget.accept(vhost);
    }
    for (StoredTopology.ExchangeRecord e : topology.exchanges()) {
      apply(
          hosts,
          e.virtualHost(),
          "exchange " + e.name(),
          host ->
              host.declareExchange(
                  new ExchangeDeclaration(
                      e.name(), e.type(), true, e.autoDelete(), e.internal(), e.arguments())));
    }
    for (StoredTopology.QueueRecord q : topology.queues()) {
      apply(
          hosts,
          q.virtualHost(),
          "queue " + q.name(),
          host ->
              host.declareQueue(
                  new QueueDeclaration(q.name(), true, false, false, q.arguments()), null));
    }
    for (StoredTopology.BindingRecord b : topology.bindings()) {
      apply(
          hosts,
          b.virtualHost(),
          "binding " + b.source() + " -> " + b.destination(),
          host -> {
            if (b.toQueue()) {
              host.bindQueue(b.destination(), b.source(), b.routingKey(), b.arguments(), null);
            } else {
              host.bindExchange(b.destination(), b.source(), b.routingKey(), b.arguments());
            }
          });
    }
    LOG.log(
        System.Logger.Level.INFO,
        "Recovered {0} exchanges, {1} queues and {2} bindings",
        topology.exchanges().size(),
        topology.queues().size(),
        topology.bindings().size());
  }

  private static void collectGone(
      Function<String, VirtualHost> hosts, String vhost, Set<String> gone) {
    if (hosts.apply(vhost) == null) {
      gone.add(vhost);
    }
  }

  private static void apply(
      Function<String, VirtualHost> hosts,
      String hostName,
      String what,
      Consumer<VirtualHost> declaration) {
    VirtualHost host = hosts.apply(hostName);
    if (host == null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Not recovering {0}: virtual host {1} does not exist",
          what,
          hostName);
      return;
    }
    try {
      declaration.accept(host);
    } catch (BrokerException e) {
      LOG.log(System.Logger.Level.WARNING, "Not recovering {0}: {1}", what, e.getMessage());
    }
  }
}
