package dev.warren.broker;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.BrokerVersion;
import dev.warren.broker.security.PasswordHashing;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone broker: {@code java -jar warren-broker.jar [--port N] [--bind ADDR] [--data-dir
 * DIR]}. It runs until the JVM is told to stop (SIGTERM, Ctrl-C), then closes client connections
 * with 320 CONNECTION_FORCED as RabbitMQ does.
 */
public final class Main {

  static final int EXIT_USAGE = 2;
  static final int EXIT_START_FAILED = 1;

  private static final String USAGE =
      """
      Usage: java -jar warren-broker.jar [options]
        --port N         AMQP port (default 5672; 0 picks a free port)
        --bind ADDR      address to listen on (default 0.0.0.0)
        --data-dir DIR   where messages and topology are stored (default ./warren-data)
        --version        print Warren's version and the RabbitMQ version it implements
        --help           print this text
      """
          + StoreOptions.USAGE
          + SecurityOptions.USAGE
          + ManagementOptions.USAGE
          + PrometheusOptions.USAGE
          + ClusterOptions.USAGE;

  /** One line per record: time, level, logger, message; set before anything logs. */
  private static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n";

  private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--port", "--bind", "--data-dir");

  /**
   * Ratis logs every setting it reads at INFO, and its client every retry of a request (to another
   * member, after an election) as SEVERE, though the request then succeeds or Warren reports its
   * failure: a cluster node keeps Ratis's warnings only, and none of the client's retries. Held
   * here, as java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger RATIS_LOG =
      java.util.logging.Logger.getLogger("org.apache.ratis");

  private static final java.util.logging.Logger RATIS_CLIENT_RETRIES_LOG =
      java.util.logging.Logger.getLogger("org.apache.ratis.client.impl.OrderedAsync");

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    if (args.length == 2 && args[0].equals("--hash-password")) {
      System.out.println(PasswordHashing.SHA256.hash(args[1]));
      return;
    }
    if (ClusterOptions.changesMembership(args)) {
      changeMembership(args);
      return;
    }
    if (args.length == 1 && args[0].equals("--version")) {
      System.out.println(versionText());
      return;
    }
    BrokerConfig config;
    try {
      config =
          parse(
              args,
              PrometheusOptions.defaults(ManagementOptions.defaults(BrokerConfig.defaults())));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    if (config == null) {
      System.out.print(USAGE);
      return;
    }
    RATIS_LOG.setLevel(java.util.logging.Level.WARNING);
    RATIS_CLIENT_RETRIES_LOG.setLevel(java.util.logging.Level.OFF);
    BrokerEngine engine;
    try {
      engine = BrokerEngine.start(config);
    } catch (RuntimeException e) {
      // no static logger field: logging must not initialise before the format is set
      System.getLogger(Main.class.getName())
          .log(System.Logger.Level.ERROR, "Warren could not start", e);
      System.exit(EXIT_START_FAILED);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  engine.close();
                  stopped.countDown();
                },
                "warren-shutdown"));
    // After the hook: its JMX set-up takes a moment, and a SIGTERM must find the hook in place.
    NativeHeapTrimmer.ifSupported().ifPresent(NativeHeapTrimmer::startPeriodic);
    stopped.await();
  }

  /** --cluster-add / --cluster-remove: a one-shot command against a running cluster. */
  private static void changeMembership(String[] args) {
    RATIS_LOG.setLevel(java.util.logging.Level.WARNING);
    RATIS_CLIENT_RETRIES_LOG.setLevel(java.util.logging.Level.OFF);
    try {
      ClusterOptions.changeMembership(args).forEach(System.out::println);
      System.exit(0); // the Raft client's threads would keep the JVM
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(EXIT_USAGE);
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("the membership change failed: " + e);
      System.exit(EXIT_START_FAILED);
    }
  }

  /** What {@code --version} prints: Warren's release, then the RabbitMQ release it implements. */
  static String versionText() {
    return BrokerVersion.PRODUCT
        + " "
        + BrokerVersion.warren()
        + System.lineSeparator()
        + "RabbitMQ "
        + BrokerVersion.RABBITMQ
        + " (the release whose AMQP 0-9-1 behaviour Warren implements)";
  }

  /**
   * Applies the command line to the defaults.
   *
   * @return the configuration, or null if help was asked for
   * @throws IllegalArgumentException with a message for the user on a bad argument
   */
  static BrokerConfig parse(String[] args, BrokerConfig defaults) {
    BrokerConfig config = defaults;
    ClusterOptions cluster = new ClusterOptions();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        return null;
      }
      if (option.equals(SecurityOptions.NO_DEFAULT_USER)) {
        config = config.withDefaultUser(null, null);
        continue;
      }
      if (!OPTIONS_WITH_VALUE.contains(option)
          && !SecurityOptions.WITH_VALUE.contains(option)
          && !StoreOptions.WITH_VALUE.contains(option)
          && !ManagementOptions.WITH_VALUE.contains(option)
          && !PrometheusOptions.WITH_VALUE.contains(option)
          && !ClusterOptions.WITH_VALUE.contains(option)) {
        throw new IllegalArgumentException("unknown option " + option);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + option);
      }
      String value = args[++i];
      if (ClusterOptions.WITH_VALUE.contains(option)) {
        cluster.set(option, value);
        continue;
      }
      config =
          switch (option) {
            case "--port" -> config.withPort(port(option, value));
            case "--bind" -> config.withBindAddress(value);
            case "--data-dir" -> config.withDataDir(Path.of(value));
            default -> {
              if (StoreOptions.WITH_VALUE.contains(option)) {
                yield StoreOptions.apply(config, option, value);
              }
              if (ManagementOptions.WITH_VALUE.contains(option)) {
                yield ManagementOptions.apply(config, option, value);
              }
              if (PrometheusOptions.WITH_VALUE.contains(option)) {
                yield PrometheusOptions.apply(config, option, value);
              }
              yield SecurityOptions.apply(config, option, value);
            }
          };
    }
    SecurityOptions.checkComplete(config);
    ManagementOptions.checkComplete(config);
    return cluster.applyTo(config);
  }

  static int port(String option, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below like any other out-of-range value
    }
    throw new IllegalArgumentException(option + " needs a number from 0 to 65535, not " + value);
  }
}
