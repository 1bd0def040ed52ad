package dev.warren.broker.server;

import dev.warren.broker.engine.api.Broker;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns a connection.start-ok into an authenticated user, or into a refusal whose reason goes to
 * the broker log only. PLAIN and AMQPLAIN check a password; EXTERNAL takes the user from the common
 * name of the client's verified TLS certificate. RabbitMQ's loopback_users rule applies to all.
 */
final class Login {
  static final String EXTERNAL = "EXTERNAL";

  sealed interface Outcome {}

  record Accepted(String user) implements Outcome {}

  /** The reason is for the log: it names the user, never the password. */
  record Refused(String reason) implements Outcome {}

  private final Broker broker;
  private final Set<String> loopbackUsers;

  Login(Broker broker, Set<String> loopbackUsers) {
    this.broker = broker;
    this.loopbackUsers = loopbackUsers;
  }

  /** The mechanisms for connection.start; EXTERNAL only where a client certificate was verified. */
  static String mechanisms(String certificateUser) {
    return certificateUser == null
        ? SaslMechanisms.OFFERED
        : SaslMechanisms.OFFERED + " " + EXTERNAL;
  }

  /**
   * @param certificateUser the common name of the peer's verified certificate, or null
   * @throws dev.warren.broker.engine.api.BrokerException for an unknown mechanism or a malformed
   *     response (see {@link SaslMechanisms#parse})
   */
  Outcome attempt(String mechanism, byte[] response, InetAddress peer, String certificateUser) {
    String user;
    if (mechanism.equals(EXTERNAL) && certificateUser != null) {
      user = certificateUser;
      if (!broker.userExists(user)) {
        return new Refused("user '%s' from the client certificate does not exist".formatted(user));
      }
    } else {
      SaslMechanisms.Credentials credentials = SaslMechanisms.parse(mechanism, response);
      user = credentials.user();
      if (!broker.authenticate(user, credentials.password())) {
        return new Refused("user '%s' - invalid credentials".formatted(user));
      }
    }
    if (loopbackUsers.contains(user) && (peer == null || !peer.isLoopbackAddress())) {
      return new Refused("user '%s' can only connect via localhost".formatted(user));
    }
    return new Accepted(user);
  }

  /**
   * Whether a connection.update-secret's new secret still logs {@code user} in with the mechanism
   * the connection authenticated with: a password for PLAIN and AMQPLAIN; EXTERNAL's identity is
   * the client certificate, which a secret cannot change.
   */
  boolean acceptsNewSecret(String mechanism, String user, byte[] newSecret) {
    return EXTERNAL.equals(mechanism)
        || broker.authenticate(user, new String(newSecret, StandardCharsets.UTF_8));
  }
}
