package dev.warren.rar.adapter;

import java.util.Locale;

/** The adapter's {@code mode} property: which {@link BrokerBackend} it runs with. */
public enum BrokerMode {
  /** The Warren engine runs inside the server (the default). */
  EMBEDDED,
  /** No broker in the server: an external RabbitMQ or Warren at {@code addresses}. */
  REMOTE;

  public static BrokerMode parse(String value) {
    String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "", "embedded" -> EMBEDDED;
      case "remote" -> REMOTE;
      default ->
          throw new IllegalArgumentException(
              "adapter property 'mode' must be embedded or remote, not '" + value + "'");
    };
  }
}
