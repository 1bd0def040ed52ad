package dev.warren.broker.engine;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.InvalidDefinitionException;
import dev.warren.broker.definitions.PolicyRegistry;
import dev.warren.broker.definitions.TopologyDefinition;
import dev.warren.broker.engine.api.BindingSnapshot;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerIdentity;
import dev.warren.broker.engine.api.BrokerStatistics;
import dev.warren.broker.engine.api.ChannelSnapshot;
import dev.warren.broker.engine.api.ClientConnection;
import dev.warren.broker.engine.api.ClusterStatus;
import dev.warren.broker.engine.api.ConnectionSnapshot;
import dev.warren.broker.engine.api.ConsumerSnapshot;
import dev.warren.broker.engine.api.EffectivePolicyView;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.ExchangeSnapshot;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.engine.api.NodeResources;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueSnapshot;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.ReplicatedQueues;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.VirtualHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The broker as its operators see it ({@link BrokerAdmin}): snapshots taken from the live model on
 * the caller's thread, and definition changes handed to the {@link RuntimeDefinitions}.
 */
final class LocalAdmin implements BrokerAdmin {
  private static final long[] NONE = new long[2];

  private final LocalBroker broker;
  private final BrokerIdentity identity;
  private final Set<String> loopbackUsers;
  private final Supplier<NodeResources> resources;
  private volatile List<ListenerInfo> listeners = List.of();

  LocalAdmin(LocalBroker broker, Set<String> loopbackUsers, Supplier<NodeResources> resources) {
    this.broker = broker;
    BrokerIdentity started =
        BrokerIdentity.startingNow(
            BrokerVersion.PRODUCT, BrokerVersion.warren(), BrokerVersion.RABBITMQ);
    // a cluster's nodes share a host name: each is named by its node id, as its queues show it
    this.identity = broker.nodeId().isEmpty() ? started : started.withNode(broker.nodeId());
    this.loopbackUsers = Set.copyOf(loopbackUsers);
    this.resources = resources;
  }

  // --- the AMQP-facing broker

  @Override
  public boolean authenticate(String user, String password) {
    return broker.authenticate(user, password);
  }

  @Override
  public boolean userExists(String user) {
    return broker.userExists(user);
  }

  @Override
  public BrokerConnection connect(String virtualHost, String user, String clientName) {
    return broker.connect(virtualHost, user, clientName);
  }

  @Override
  public BrokerConnection connect(String virtualHost, String user, ClientConnection client) {
    return broker.connect(virtualHost, user, client);
  }

  @Override
  public ResourceAlarms alarms() {
    return broker.alarms();
  }

  @Override
  public Optional<ClusterStatus> cluster() {
    return broker.cluster();
  }

  // --- identity and definitions

  @Override
  public BrokerIdentity identity() {
    return identity;
  }

  @Override
  public List<ListenerInfo> listeners() {
    return listeners;
  }

  /** Told by the engine once its listeners are bound. */
  void listeners(List<ListenerInfo> value) {
    listeners = List.copyOf(value);
  }

  @Override
  public NodeResources resources() {
    return resources.get();
  }

  @Override
  public BrokerStatistics statistics() {
    return broker.statistics();
  }

  @Override
  public boolean loopbackOnly(String user) {
    return loopbackUsers.contains(user);
  }

  @Override
  public DefinitionsState definitions() {
    return broker.definitions().get();
  }

  @Override
  public void changeDefinitions(List<DefinitionChange> changes) {
    broker.definitions().apply(changes);
  }

  /**
   * A definitions file's or import's exchanges, queues and bindings, each through the broker's
   * topology changes: on a cluster node through the metadata log, so every node has them.
   */
  @Override
  public void declareTopology(List<? extends TopologyDefinition> items) {
    for (TopologyDefinition item : items) {
      VirtualHost host = broker.virtualHost(item.vhost());
      if (host == null) {
        throw new InvalidDefinitionException(
            "Please create virtual host \"%s\" prior to importing definitions."
                .formatted(item.vhost()));
      }
      TopologyChange<?> change = topologyChange(host, item);
      if (change != null) {
        BrokerChannel.join(broker.topology().decide(host, change));
      }
    }
  }

  /** The change that declares the item, or null if it exists already (or is the broker's own). */
  private TopologyChange<?> topologyChange(VirtualHost host, TopologyDefinition item) {
    if (item instanceof TopologyDefinition.Exchange e) {
      return e.name().isEmpty() || e.name().startsWith("amq.") || host.exchange(e.name()) != null
          ? null
          : new TopologyChange.DeclareExchange(
              new ExchangeDeclaration(
                  e.name(), e.type(), e.durable(), e.autoDelete(), e.internal(), e.arguments()));
    } else if (item instanceof TopologyDefinition.Queue q) {
      return q.name().startsWith("amq.") || host.queue(q.name()) != null
          ? null
          : new TopologyChange.DeclareQueue(
              new QueueDeclaration(q.name(), q.durable(), false, q.autoDelete(), q.arguments()),
              null,
              broker.nodeId(),
              null);
    } else if (item instanceof TopologyDefinition.Binding b) {
      return b.destinationType().equals("queue")
          ? new TopologyChange.BindQueue(
              b.destination(), b.source(), b.routingKey(), b.arguments(), null, true)
          : new TopologyChange.BindExchange(
              b.destination(), b.source(), b.routingKey(), b.arguments(), true);
    }
    return null;
  }

  // --- snapshots

  @Override
  public List<ConnectionSnapshot> connections() {
    List<ConnectionSnapshot> snapshots = new ArrayList<>();
    for (LocalConnection connection : broker.connections()) {
      ClientConnection client = connection.client();
      snapshots.add(
          new ConnectionSnapshot(
              client.details(),
              connection.virtualHost(),
              connection.user(),
              client.state(),
              connection.channels().size(),
              LocalStatistics.of(connection)));
    }
    return snapshots;
  }

  @Override
  public List<ChannelSnapshot> channels() {
    List<ChannelSnapshot> snapshots = new ArrayList<>();
    for (LocalConnection connection : broker.connections()) {
      connection
          .channels()
          .forEach(
              channel -> snapshots.add(channel.snapshot(LocalStatistics.of(connection, channel))));
    }
    return snapshots;
  }

  @Override
  public List<ConsumerSnapshot> consumers() {
    List<ConsumerSnapshot> snapshots = new ArrayList<>();
    for (LocalConnection connection : broker.connections()) {
      for (LocalChannel channel : connection.channels()) {
        for (Consumer consumer : channel.consumers()) {
          snapshots.add(
              new ConsumerSnapshot(
                  connection.virtualHost(),
                  consumer.queue().name(),
                  consumer.tag(),
                  connection.client().details(),
                  connection.user(),
                  channel.number(),
                  !consumer.noAck(),
                  consumer.exclusive(),
                  consumer.prefetch(),
                  consumer.arguments(),
                  consumer.queue().isActive(consumer)));
        }
      }
    }
    return snapshots;
  }

  @Override
  public List<ExchangeSnapshot> exchanges(String vhost) {
    List<ExchangeSnapshot> snapshots = new ArrayList<>();
    for (VirtualHost host : hosts(vhost)) {
      for (Exchange exchange : host.exchanges()) {
        snapshots.add(
            new ExchangeSnapshot(
                host.name(),
                exchange.name(),
                exchange.type().wireName(),
                exchange.durable(),
                exchange.autoDelete(),
                exchange.internal(),
                exchange.arguments(),
                exchange.isDefault()
                    ? EffectivePolicyView.NONE
                    : policy(host.name(), PolicyRegistry.Target.EXCHANGE, exchange.name()),
                LocalStatistics.of(host, exchange)));
      }
    }
    return snapshots;
  }

  @Override
  public List<QueueSnapshot> queues(String vhost) {
    Map<Queue, long[]> unacked = new HashMap<>();
    Map<Object, LocalConnection> owners = new HashMap<>();
    for (LocalConnection connection : broker.connections()) {
      connection.channels().forEach(channel -> channel.countUnacked(unacked));
      owners.put(connection.owner(), connection);
    }
    List<QueueSnapshot> snapshots = new ArrayList<>();
    for (VirtualHost host : hosts(vhost)) {
      for (Queue queue : host.queues()) {
        Queue.Stats stats = queue.stats();
        snapshots.add(
            new QueueSnapshot(
                host.name(),
                queue.name(),
                queue.durable(),
                queue.autoDelete(),
                queue.exclusiveOwner() != null,
                queue.exclusiveOwner() == null || owners.get(queue.exclusiveOwner()) == null
                    ? null
                    : owners.get(queue.exclusiveOwner()).client().details(),
                queue.arguments(),
                stats.ready(),
                unacked.getOrDefault(queue, NONE)[0],
                unacked.getOrDefault(queue, NONE)[1],
                stats.readyBytes(),
                stats.consumers(),
                stats.singleActiveConsumer() == null ? null : stats.singleActiveConsumer().tag(),
                stats.exclusiveConsumer() == null ? null : stats.exclusiveConsumer().tag(),
                stats.lastUsed(),
                queue.replicated() ? "quorum" : "classic",
                policy(
                    host.name(),
                    PolicyRegistry.Target.queue(ReplicatedQueues.requested(queue.arguments())),
                    queue.name()),
                LocalStatistics.of(host, queue),
                queue.replicas().orElse(null)));
      }
    }
    return snapshots;
  }

  @Override
  public List<BindingSnapshot> bindings(String vhost) {
    List<BindingSnapshot> snapshots = new ArrayList<>();
    hosts(vhost).forEach(host -> snapshots.addAll(host.bindings()));
    return snapshots;
  }

  @Override
  public boolean closeConnection(String name, String reason) {
    for (LocalConnection connection : broker.connections()) {
      if (connection.client().details().name().equals(name)) {
        connection.client().forceClose(reason);
        return true;
      }
    }
    return false;
  }

  private List<VirtualHost> hosts(String vhost) {
    if (vhost == null) {
      return broker.virtualHosts();
    }
    VirtualHost host = broker.virtualHost(vhost);
    return host == null ? List.of() : List.of(host);
  }

  private EffectivePolicyView policy(String vhost, PolicyRegistry.Target target, String name) {
    PolicyRegistry.EffectivePolicy effective =
        broker.definitions().policies().effective(vhost, target, name);
    return effective == PolicyRegistry.EffectivePolicy.NONE
        ? EffectivePolicyView.NONE
        : new EffectivePolicyView(
            effective.policy(), effective.operatorPolicy(), effective.definition());
  }
}
