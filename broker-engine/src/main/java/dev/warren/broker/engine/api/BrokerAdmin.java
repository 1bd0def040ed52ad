package dev.warren.broker.engine.api;

import dev.warren.broker.security.User;
import java.util.List;
import java.util.Optional;

/**
 * What operating a running broker takes beyond the AMQP-facing {@link Broker}: its identity and
 * listeners, snapshots of what it holds, and changes to it. The management API is its client and
 * reaches the broker no other way.
 */
public interface BrokerAdmin extends Broker {

  BrokerIdentity identity();

  /** The sockets the broker listens on, AMQP and HTTP alike. */
  List<ListenerInfo> listeners();

  /** The user of that name, or empty. */
  Optional<User> user(String name);

  /** Whether the user may only log in from a loopback address (RabbitMQ's loopback_users). */
  boolean loopbackOnly(String user);

  boolean virtualHostExists(String name);

  /** Whether the user has permissions in the virtual host, so may open it. */
  boolean mayOpen(String user, String virtualHost);
}
