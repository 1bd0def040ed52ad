package dev.warren.broker.server;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The SASL mechanisms Warren offers in connection.start, and how their responses are read. */
final class SaslMechanisms {

  /** The mechanisms field of connection.start: RabbitMQ 4.0's defaults. */
  static final String OFFERED = "PLAIN AMQPLAIN ANONYMOUS";

  /**
   * RabbitMQ 4.0's anonymous_login_user and anonymous_login_pass: SASL ANONYMOUS logs in as this
   * user, so it works only where guest exists with its default password (and, guest being a
   * loopback user by default, only from loopback).
   */
  private static final Credentials ANONYMOUS = new Credentials("guest", "guest");

  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + "]"; // never the password, not even by accident
    }
  }

  private SaslMechanisms() {}

  /**
   * Reads the user and password out of a start-ok response.
   *
   * @throws BrokerException 503 COMMAND_INVALID for a mechanism not offered (as RabbitMQ), 502
   *     SYNTAX_ERROR for a response that does not follow the mechanism's format
   */
  static Credentials parse(String mechanism, byte[] response) {
    return switch (mechanism) {
      case "PLAIN" -> parsePlain(response);
      case "AMQPLAIN" -> parseAmqPlain(response);
      case "ANONYMOUS" -> ANONYMOUS; // the response is trace information, nothing to check
      default ->
          throw new BrokerException(
              ReplyCode.COMMAND_INVALID, "unknown authentication mechanism '" + mechanism + "'");
    };
  }

  /**
   * The connection.close for refused credentials. Like RabbitMQ it names only the mechanism: the
   * reason goes to the broker log, where an attacker cannot read it.
   */
  static AmqpError refusal(String mechanism) {
    return new AmqpError(
        ReplyCode.ACCESS_REFUSED,
        "Login was refused using authentication mechanism "
            + mechanism
            + ". For details see the broker logfile.",
        0,
        0);
  }

  /**
   * Whether the client announced the authentication_failure_close capability; without it a refused
   * client is just disconnected, which is what old clients expect.
   */
  static boolean wantsCloseOnRefusal(Map<String, Object> clientProperties) {
    return clientProperties != null
        && clientProperties.get("capabilities") instanceof Map<?, ?> capabilities
        && Boolean.TRUE.equals(capabilities.get("authentication_failure_close"));
  }

  /** RFC 4616: [authzid] NUL authcid NUL passwd. */
  private static Credentials parsePlain(byte[] response) {
    String[] parts = new String(response, StandardCharsets.UTF_8).split("\0", -1);
    if (parts.length != 3) {
      throw malformed("PLAIN");
    }
    return new Credentials(parts[1], parts[2]);
  }

  /**
   * A field table without its length prefix holding LOGIN and PASSWORD as long strings, which is
   * what every client sends; other value types are refused rather than half-parsed.
   */
  private static Credentials parseAmqPlain(byte[] response) {
    Map<String, String> fields = new HashMap<>();
    ByteBuffer in = ByteBuffer.wrap(response);
    try {
      while (in.hasRemaining()) {
        String name = utf8(in, in.get() & 0xFF);
        if (in.get() != 'S') {
          throw malformed("AMQPLAIN");
        }
        fields.put(name, utf8(in, in.getInt()));
      }
    } catch (BufferUnderflowException e) {
      throw malformed("AMQPLAIN");
    }
    if (!fields.containsKey("LOGIN") || !fields.containsKey("PASSWORD")) {
      throw malformed("AMQPLAIN");
    }
    return new Credentials(fields.get("LOGIN"), fields.get("PASSWORD"));
  }

  private static String utf8(ByteBuffer in, int length) {
    if (length < 0 || length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static BrokerException malformed(String mechanism) {
    return new BrokerException(
        ReplyCode.SYNTAX_ERROR, "malformed " + mechanism + " authentication response");
  }
}
