package dev.warren.broker.engine.api;

/**
 * The in-VM facade of a running broker. The AMQP server is one client of it, the resource adapter
 * another; neither reaches the model any other way.
 */
public interface Broker {

  /** The resource alarms that block publishers while raised. */
  default ResourceAlarms alarms() {
    return ResourceAlarms.NONE;
  }

  /**
   * The recovered messages held back at start (those named to {@code BrokerEngine.start}): no
   * consumer and no basic.get gets them until {@link #acknowledgeHeld} settles them.
   */
  default java.util.List<HeldMessage> heldMessages() {
    return java.util.List.of();
  }

  /**
   * Acknowledges a held message: it is gone for good once this returns, the acknowledgement on
   * disk. Does nothing if no message with that id is held.
   *
   * @throws BrokerException INTERNAL_ERROR (541) if the store could not write the acknowledgement
   */
  default void acknowledgeHeld(StoredMessageId id) {}

  /** The cluster this broker is a node of, or empty if it runs on its own. */
  default java.util.Optional<ClusterStatus> cluster() {
    return java.util.Optional.empty();
  }

  /**
   * Checks a user's password against the configured users. Never logs the password.
   *
   * @return whether the credentials are valid
   */
  boolean authenticate(String user, String password);

  /**
   * Whether the user exists, for logins whose identity something else proved (SASL EXTERNAL: the
   * client's TLS certificate).
   */
  boolean userExists(String user);

  /**
   * Opens a connection to a virtual host on behalf of an already authenticated user.
   *
   * @param clientName shown in logs, e.g. the peer address or the adapter's name
   * @throws BrokerException with NOT_ALLOWED (530) if the virtual host does not exist or the user
   *     has no permissions in it
   */
  BrokerConnection connect(String virtualHost, String user, String clientName);

  /**
   * Opens a connection for a client that describes itself (for listings) and can be forced closed
   * (by an operator, or when its user or virtual host is deleted).
   *
   * @throws BrokerException with NOT_ALLOWED (530) as {@link #connect(String, String, String)}, or
   *     when the virtual host's connection limit is reached
   */
  BrokerConnection connect(String virtualHost, String user, ClientConnection client);

  /**
   * Opens a connection for another node of this broker's cluster, which forwards its clients' work
   * on this node's classic queues: its channels check no permissions (the forwarding node checked
   * them for its client), and it is not listed among the connections.
   *
   * @throws BrokerException (530) if the virtual host does not exist
   */
  default BrokerConnection connectPeer(String virtualHost, String peer) {
    throw new UnsupportedOperationException("not a cluster node");
  }
}
