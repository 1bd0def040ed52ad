package dev.warren.broker.engine;

/**
 * The versions Warren announces: the RabbitMQ release whose behaviour it implements (what clients
 * read from {@code connection.start}'s {@code version}, and what the management API and Prometheus
 * report as RabbitMQ's version) and Warren's own release. The one place either is defined.
 *
 * <p>RabbitMQ 4.0 is the reference because what Warren does matches it: {@code x-death} entries
 * merged per queue and reason with the {@code x-last-death-*} headers (3.13+), a client's own
 * {@code x-death} header no longer interpreted on publish (4.0), global QoS still supported
 * (removed after 4.2), frames above 4096 octets refused before tuning (4.1 raised that to 8192), a
 * default {@code max_message_size} of 16 MiB and quorum queues' default delivery limit of 20 (4.0).
 */
public final class BrokerVersion {

  /** The product name clients see in {@code connection.start}. */
  public static final String PRODUCT = "Warren";

  /** The RabbitMQ release whose AMQP 0-9-1 behaviour Warren implements; always numeric x.y.z. */
  public static final String RABBITMQ = "4.0.9";

  /** Warren's version when no jar manifest says otherwise (classes run from a build directory). */
  static final String UNPACKAGED = "0.0.0";

  private static final String WARREN = fromManifest();

  private BrokerVersion() {}

  /**
   * Warren's own version: the {@code Implementation-Version} of the jar it runs from (the project
   * version), or {@value #UNPACKAGED} when it runs from unpacked classes.
   */
  public static String warren() {
    return WARREN;
  }

  /** One line for logs and {@code --version}: both versions, each named. */
  public static String describe() {
    return PRODUCT + " " + WARREN + " (RabbitMQ " + RABBITMQ + ")";
  }

  private static String fromManifest() {
    String version = BrokerVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? UNPACKAGED : version;
  }
}
