package dev.warren.broker.model;

import dev.warren.broker.engine.api.BindingSnapshot;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.metrics.ChurnCounters;
import dev.warren.broker.routing.Binding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A virtual host: its exchanges, queues and bindings, with RabbitMQ's rules for declaring, binding
 * and deleting them. Topology changes are serialised by one lock per virtual host (they are rare);
 * publishing only reads the concurrent registries and the routers, and never takes that lock.
 */
public final class VirtualHost {
  static final String RESERVED_PREFIX = "amq.";

  private final String name;
  private final String node;
  private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  private final Object topologyLock = new Object();
  private final Persistence persistence;
  private final VirtualHostBindings bindings;
  private final VirtualHostQueueDeletions queueDeletions;
  private final VirtualHostQueueDeclarations queueDeclarations =
      new VirtualHostQueueDeclarations(this, topologyLock, queues);
  private final DeadLetterer deadLetterer = new DeadLetterer(this);
  private final DirectReplyTo directReplyTo = new DirectReplyTo();
  private final int predeclaredExchanges;
  private volatile VirtualHostLimits limits = VirtualHostLimits.NONE;

  /** The policies of this virtual host; set by the engine, read as queues and exchanges appear. */
  private volatile Policies policies = Policies.NONE;

  public VirtualHost(String name) {
    this(name, Persistence.NONE);
  }

  /** A virtual host whose durable topology and persistent messages go to {@code persistence}. */
  public VirtualHost(String name, Persistence persistence) {
    this(name, persistence, "");
  }

  /**
   * A virtual host on a cluster node: queues declared by this node's clients are at home here (see
   * {@link #declareQueue(QueueDeclaration, Object, String)}).
   */
  public VirtualHost(String name, Persistence persistence, String node) {
    this(name, persistence, node, new ChurnCounters());
  }

  /**
   * A virtual host that counts the deletions of its queues in {@code churn} (the broker's), on the
   * node each queue is at home on; declarations are counted by the channels that make them.
   */
  public VirtualHost(String name, Persistence persistence, String node, ChurnCounters churn) {
    this.name = name;
    this.node = node;
    this.persistence = persistence;
    this.bindings = new VirtualHostBindings(name, topologyLock, exchanges, queues, persistence);
    this.queueDeletions =
        new VirtualHostQueueDeletions(name, topologyLock, queues, persistence, churn, bindings);
    addExchange("", ExchangeType.DIRECT);
    addExchange("amq.direct", ExchangeType.DIRECT);
    addExchange("amq.fanout", ExchangeType.FANOUT);
    addExchange("amq.topic", ExchangeType.TOPIC);
    addExchange("amq.headers", ExchangeType.HEADERS);
    addExchange("amq.match", ExchangeType.HEADERS);
    predeclaredExchanges = exchanges.size();
  }

  private void addExchange(String exchangeName, ExchangeType type) {
    exchanges.put(exchangeName, new Exchange(exchangeName, type, true, false, false, Map.of()));
  }

  public String name() {
    return name;
  }

  public Persistence persistence() {
    return persistence;
  }

  /** The node this copy of the virtual host is on ("" if the broker is not clustered). */
  public String node() {
    return node;
  }

  /**
   * Set once, when the node joins its cluster: the deletions a queue asks for itself (auto-delete,
   * x-expires, its exclusive owner gone) then go through the metadata log instead of happening
   * here.
   */
  public void logSelfDeletions(java.util.function.Consumer<Queue> deletions) {
    queueDeletions.logSelfDeletions(deletions);
  }

  /** Set once, when the node joins its cluster: {@code x-queue-type: quorum} is honoured then. */
  public void replicateQueues(ReplicatedQueues factory) {
    queueDeclarations.replicateQueues(factory);
  }

  /**
   * Set once, when the node joins its cluster: a classic queue declared by another node's client is
   * then that node's, reached through {@code factory}.
   */
  public void forwardQueues(ForwardedQueues factory) {
    queueDeclarations.forwardQueues(factory);
  }

  /** Set after recovery, so that recovered topology is never refused (see VirtualHostLimits). */
  public void limit(VirtualHostLimits value) {
    limits = value;
  }

  VirtualHostLimits limits() {
    return limits;
  }

  // --- policies

  Policies policies() {
    return policies;
  }

  /** Set once by the engine (before clients connect): every queue and exchange gets its policy. */
  public void usePolicies(Policies value) {
    policies = value;
    policiesChanged();
  }

  /**
   * The virtual host's policies changed: each queue and exchange applies the one that matches it
   * now. Under the topology lock, so that a queue declared meanwhile sees the new policies too.
   */
  public void policiesChanged() {
    synchronized (topologyLock) {
      Policies current = policies;
      for (Exchange exchange : exchanges.values()) {
        exchange.applyPolicy(current.forExchange(exchange.name()));
      }
      for (Queue queue : queues.values()) {
        queue.applyPolicy(current.forQueue(queue.name(), quorum(queue)));
      }
    }
  }

  /** A queue declared as a quorum queue (kept as a classic one when not clustered). */
  static boolean quorum(Queue queue) {
    return ReplicatedQueues.requested(queue.arguments());
  }

  // --- exchanges

  public void declareExchange(ExchangeDeclaration declaration) {
    ExchangeType type =
        ExchangeType.of(declaration.type())
            .orElseThrow(() -> Rejections.unknownExchangeType(declaration.type()));
    String exchangeName = declaration.name();
    if (exchangeName.isEmpty()) {
      throw Rejections.defaultExchangeRefused();
    }
    synchronized (topologyLock) {
      Exchange existing = exchanges.get(exchangeName);
      if (existing == null) {
        if (exchangeName.startsWith(RESERVED_PREFIX)) {
          throw Rejections.reservedName("exchange", exchangeName);
        }
        limits.checkNewExchange(name, exchangeName, exchanges.size() - predeclaredExchanges);
        Exchange exchange =
            new Exchange(
                exchangeName,
                type,
                declaration.durable(),
                declaration.autoDelete(),
                declaration.internal(),
                Arguments.copyOf(declaration.arguments()));
        exchange.applyPolicy(policies.forExchange(exchangeName));
        exchanges.put(exchangeName, exchange);
        persistence.exchangeDeclared(name, exchange);
        return;
      }
      String resource = Rejections.exchange(name, exchangeName);
      Equivalence.assertField(resource, "type", existing.type().wireName(), type.wireName());
      Equivalence.assertField(resource, "durable", existing.durable(), declaration.durable());
      Equivalence.assertField(
          resource, "auto_delete", existing.autoDelete(), declaration.autoDelete());
      Equivalence.assertField(resource, "internal", existing.internal(), declaration.internal());
      Equivalence.assertArguments(
          resource, Equivalence.EXCHANGE_ARGUMENTS, existing.arguments(), declaration.arguments());
    }
  }

  /** exchange.declare passive. */
  public void checkExchange(String exchangeName) {
    if (exchangeName.isEmpty()) {
      throw Rejections.defaultExchangeRefused();
    }
    if (!exchanges.containsKey(exchangeName)) {
      throw Rejections.noExchange(name, exchangeName);
    }
  }

  /** Deleting an exchange that does not exist succeeds, as in RabbitMQ 3.x. */
  public void deleteExchange(String exchangeName, boolean ifUnused) {
    if (exchangeName.isEmpty()) {
      throw Rejections.defaultExchangeRefused();
    }
    if (exchangeName.startsWith(RESERVED_PREFIX)) {
      throw Rejections.systemExchangeDeletion(name, exchangeName);
    }
    synchronized (topologyLock) {
      Exchange exchange = exchanges.get(exchangeName);
      if (exchange == null) {
        return;
      }
      if (ifUnused && !exchange.router().isEmpty()) {
        throw Rejections.inUse(Rejections.exchange(name, exchangeName));
      }
      bindings.removeExchange(exchange);
    }
  }

  /** An exchange by name, or null: alternate and dead-letter exchanges may be missing. */
  Exchange findExchange(String exchangeName) {
    return exchanges.get(exchangeName);
  }

  DeadLetterer deadLetterer() {
    return deadLetterer;
  }

  /**
   * Republishes a message that died in {@code from} through its dead-letter exchange, if it has one
   * (for queues whose messages live elsewhere, such as quorum queues).
   *
   * @param reason RabbitMQ's x-death reason: expired, maxlen, rejected, delivery_limit
   */
  public void deadLetter(Queue from, Message message, String reason) {
    deadLetterer.deadLetter(from, List.of(new DeadLetterer.DeadLetter(message, reason)));
  }

  public DirectReplyTo directReplyTo() {
    return directReplyTo;
  }

  /** The exchange a basic.publish names: 404 if absent, 403 if internal. */
  public Exchange exchangeForPublish(String exchangeName) {
    Exchange exchange = exchanges.get(exchangeName);
    if (exchange == null) {
      throw Rejections.noExchange(name, exchangeName);
    }
    if (exchange.internal()) {
      throw Rejections.internalExchange(name, exchangeName);
    }
    return exchange;
  }

  // --- queues

  /** The result of queue.declare: the queue and whether this call created it. */
  public record QueueDeclared(Queue queue, boolean created, int messageCount, int consumerCount) {}

  /**
   * queue.declare (not passive). An empty name gets a server-generated one.
   *
   * @param connection the declaring connection, which owns the queue if it is exclusive
   */
  public QueueDeclared declareQueue(QueueDeclaration declaration, Object connection) {
    return declareQueue(declaration, connection, node, null);
  }

  /**
   * queue.declare as a cluster applies it on each node.
   *
   * @param home the node whose client declared it: only there do its x-expires and auto-delete run,
   *     so that a queue is not deleted because it is idle on another node
   * @param serverName the name for a declaration without one, or null to generate it here
   */
  public QueueDeclared declareQueue(
      QueueDeclaration declaration, Object connection, String home, String serverName) {
    return queueDeclarations.declare(declaration, connection, home, serverName);
  }

  /** A queue the connection may use: 404 if absent, 405 if exclusive to another connection. */
  public Queue queueForUse(String queueName, Object connection) {
    Queue queue = queues.get(queueName);
    if (queue == null) {
      throw Rejections.noQueue(name, queueName);
    }
    if (!queue.accessibleTo(connection)) {
      throw Rejections.exclusiveQueueLocked(name, queueName);
    }
    // any use, even a passive declare, restarts x-expires (RabbitMQ's stat call does too)
    queue.touch();
    return queue;
  }

  /**
   * queue.delete. A missing queue counts as deleted with 0 messages, as in RabbitMQ 3.x.
   *
   * @return the number of ready messages deleted with it
   */
  public int deleteQueue(String queueName, Object connection, boolean ifUnused, boolean ifEmpty) {
    return queueDeletions.delete(queueName, connection, ifUnused, ifEmpty);
  }

  /**
   * The conditions of a queue.delete, checked without deleting: a cluster checks them where the
   * queue's consumers and messages are, then logs an unconditional deletion.
   */
  public void checkQueueDeletion(
      String queueName, Object connection, boolean ifUnused, boolean ifEmpty) {
    queueDeletions.check(queueName, connection, ifUnused, ifEmpty);
  }

  /** Deletes a queue unconditionally, e.g. an exclusive queue whose connection closed. */
  public void deleteQueue(Queue queue) {
    queueDeletions.delete(queue);
  }

  /** Deletes an auto-delete queue if it has lost its last consumer and gained none since. */
  public void deleteIfAbandoned(Queue queue) {
    queueDeletions.deleteIfAbandoned(queue);
  }

  /**
   * Deletes a queue whose x-expires period passed unused, atomically with the check.
   *
   * @return whether it was deleted
   */
  boolean deleteIfExpired(Queue queue) {
    return queueDeletions.deleteIfExpired(queue);
  }

  // --- bindings

  public void bindQueue(
      String queueName,
      String exchangeName,
      String routingKey,
      Map<String, Object> arguments,
      Object connection) {
    bindings.changeQueueBinding(true, queueName, exchangeName, routingKey, arguments, connection);
  }

  /**
   * Unbinding is idempotent, as in RabbitMQ 3.x: a missing binding, queue or exchange is not an
   * error.
   */
  public void unbindQueue(
      String queueName,
      String exchangeName,
      String routingKey,
      Map<String, Object> arguments,
      Object connection) {
    bindings.changeQueueBinding(false, queueName, exchangeName, routingKey, arguments, connection);
  }

  public void bindExchange(
      String destinationName, String sourceName, String routingKey, Map<String, Object> arguments) {
    bindings.changeExchangeBinding(true, destinationName, sourceName, routingKey, arguments);
  }

  public void unbindExchange(
      String destinationName, String sourceName, String routingKey, Map<String, Object> arguments) {
    bindings.changeExchangeBinding(false, destinationName, sourceName, routingKey, arguments);
  }

  // --- listings (no topology lock: a moment of the concurrent registries and routers)

  public List<Exchange> exchanges() {
    List<Exchange> all = new ArrayList<>(exchanges.values());
    all.sort(Comparator.comparing(Exchange::name));
    return all;
  }

  public Exchange exchange(String exchangeName) {
    return exchanges.get(exchangeName);
  }

  public List<Queue> queues() {
    List<Queue> all = new ArrayList<>(queues.values());
    all.sort(Comparator.comparing(Queue::name));
    return all;
  }

  public Queue queue(String queueName) {
    return queues.get(queueName);
  }

  /**
   * Every binding, the default exchange's implicit one to each queue first (RabbitMQ lists those
   * too, with source "").
   */
  public List<BindingSnapshot> bindings() {
    List<BindingSnapshot> all = new ArrayList<>();
    for (Queue queue : queues()) {
      all.add(new BindingSnapshot(name, "", queue.name(), true, queue.name(), Map.of()));
    }
    for (Exchange exchange : exchanges()) {
      if (exchange.isDefault()) {
        continue;
      }
      for (Binding<Destination> binding : exchange.router().bindings()) {
        all.add(
            new BindingSnapshot(
                name,
                exchange.name(),
                binding.destination().name(),
                binding.destination() instanceof Queue,
                binding.routingKey(),
                binding.arguments()));
      }
    }
    return all;
  }

  /**
   * Deletes every queue (cancelling their consumers) and every exchange but the predeclared ones,
   * with their stored copies: the virtual host itself is being deleted.
   */
  public void deleteEverything() {
    synchronized (topologyLock) {
      for (Queue queue : List.copyOf(queues.values())) {
        queueDeletions.remove(queue, queue.delete(false, false));
      }
      for (Exchange exchange : List.copyOf(exchanges.values())) {
        if (!exchange.isDefault() && !exchange.name().startsWith(RESERVED_PREFIX)) {
          bindings.removeExchange(exchange);
        }
      }
    }
  }
}
