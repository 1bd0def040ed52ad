package dev.warren.broker.engine.api;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.GlobalParameterDefinition;
import dev.warren.broker.definitions.TopologyDefinition;
import java.util.List;

/**
 * What operating a running broker takes beyond the AMQP-facing {@link Broker}: its identity and
 * listeners, snapshots of what it holds, its runtime definitions and changes to them. The
 * management API is its client and reaches the broker no other way.
 */
public interface BrokerAdmin extends Broker {

  BrokerIdentity identity();

  /** RabbitMQ's cluster name: the {@code cluster_name} global parameter, or the node's name. */
  default String clusterName() {
    GlobalParameterDefinition name =
        definitions().globalParameter(GlobalParameterDefinition.CLUSTER_NAME);
    return name != null && name.value() instanceof String text ? text : identity().node();
  }

  /** The sockets the broker listens on, AMQP and HTTP alike. */
  List<ListenerInfo> listeners();

  /** Memory and disk against their alarm limits. */
  NodeResources resources();

  /** The message counters and their sampled rates, for the management API and Prometheus. */
  BrokerStatistics statistics();

  /** Whether the user may only log in from a loopback address (RabbitMQ's loopback_users). */
  boolean loopbackOnly(String user);

  /** The users, vhosts, permissions, parameters and policies as of now. */
  DefinitionsState definitions();

  /**
   * Validates, stores and applies definition changes, all or none; they take effect before this
   * returns (a revoked permission refuses the next operation, a deleted user's connections are
   * closed, a deleted vhost's queues are gone).
   *
   * @throws dev.warren.broker.definitions.InvalidDefinitionException with RabbitMQ's reason
   */
  void changeDefinitions(List<DefinitionChange> changes);

  /**
   * Declares the queues, exchanges and bindings of a definitions document as RabbitMQ imports them:
   * with the broker's authority (no user's permissions apply), skipping queues and exchanges that
   * exist already and the predeclared ones.
   *
   * @throws dev.warren.broker.definitions.InvalidDefinitionException for a vhost that does not
   *     exist
   * @throws BrokerException if a declaration breaks a rule (an invalid argument, a missing end of a
   *     binding)
   */
  void declareTopology(List<? extends TopologyDefinition> items);

  List<ConnectionSnapshot> connections();

  List<ChannelSnapshot> channels();

  List<ConsumerSnapshot> consumers();

  /** The exchanges of a vhost, or of every vhost if null. */
  List<ExchangeSnapshot> exchanges(String vhost);

  /** The queues of a vhost, or of every vhost if null. */
  List<QueueSnapshot> queues(String vhost);

  /** The bindings of a vhost, or of every vhost if null. */
  List<BindingSnapshot> bindings(String vhost);

  /**
   * Closes a connection as RabbitMQ's forced close does (320 CONNECTION_FORCED with the reason).
   *
   * @return false if no open connection has that name
   */
  boolean closeConnection(String name, String reason);
}
