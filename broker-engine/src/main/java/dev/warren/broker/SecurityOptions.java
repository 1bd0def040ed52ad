package dev.warren.broker;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.engine.TlsConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The command-line options for users, TLS and limits (see {@link Main}). */
final class SecurityOptions {

  static final String NO_DEFAULT_USER = "--no-default-user";

  static final Set<String> WITH_VALUE =
      Set.of(
          "--definitions",
          "--loopback-users",
          "--max-connections",
          "--max-queues-per-vhost",
          "--max-exchanges-per-vhost",
          "--tls-port",
          "--tls-keystore",
          "--tls-keystore-password",
          "--tls-truststore",
          "--tls-truststore-password",
          "--tls-verify");

  static final String USAGE =
      """
        --definitions FILE          users, vhosts, permissions (RabbitMQ definitions JSON)
        --no-default-user           no guest user (without --definitions: nobody can log in)
        --loopback-users U1,U2      users allowed from loopback only (default guest; "" for none)
        --max-connections N         refuse sockets beyond N (default 0: no limit)
        --max-queues-per-vhost N    refuse declaring a queue beyond N per vhost (0: no limit)
        --max-exchanges-per-vhost N the same for exchanges, amq.* not counted (0: no limit)
        --tls-keystore FILE         enables AMQPS: PKCS#12 (or .jks) with the server's key
        --tls-keystore-password PW
        --tls-port N                AMQPS port (default 5671; 0 picks a free port)
        --tls-truststore FILE       CA certificates for client certificates
        --tls-truststore-password PW
        --tls-verify MODE           client certificates: none (default), optional, required
        --hash-password PW          print a password_hash for a definitions file and exit
      """;

  private SecurityOptions() {}

  static BrokerConfig apply(BrokerConfig config, String option, String value) {
    SecurityConfig security = config.security();
    return config.withSecurity(
        switch (option) {
          case "--definitions" -> security.withDefinitionsFile(Path.of(value));
          case "--loopback-users" ->
              security.withLoopbackUsers(
                  Arrays.stream(value.split(","))
                      .map(String::trim)
                      .filter(user -> !user.isEmpty())
                      .collect(Collectors.toSet()));
          case "--max-connections" ->
              security.withMaxConnections(number(option, value, 0, Integer.MAX_VALUE));
          case "--max-queues-per-vhost" ->
              security.withMaxQueuesPerVhost(number(option, value, 0, Integer.MAX_VALUE));
          case "--max-exchanges-per-vhost" ->
              security.withMaxExchangesPerVhost(number(option, value, 0, Integer.MAX_VALUE));
          case "--tls-port" -> tls(security, t -> t.withPort(number(option, value, 0, 65535)));
          case "--tls-keystore" ->
              tls(
                  security,
                  t ->
                      new TlsConfig(
                          t.port(),
                          Path.of(value),
                          t.keyStorePassword(),
                          t.trustStore(),
                          t.trustStorePassword(),
                          t.clientCertificates()));
          case "--tls-keystore-password" ->
              tls(
                  security,
                  t ->
                      new TlsConfig(
                          t.port(),
                          t.keyStore(),
                          value,
                          t.trustStore(),
                          t.trustStorePassword(),
                          t.clientCertificates()));
          case "--tls-truststore" ->
              tls(
                  security,
                  t ->
                      new TlsConfig(
                          t.port(),
                          t.keyStore(),
                          t.keyStorePassword(),
                          Path.of(value),
                          t.trustStorePassword(),
                          t.clientCertificates()));
          case "--tls-truststore-password" ->
              tls(
                  security,
                  t ->
                      new TlsConfig(
                          t.port(),
                          t.keyStore(),
                          t.keyStorePassword(),
                          t.trustStore(),
                          value,
                          t.clientCertificates()));
          case "--tls-verify" ->
              tls(
                  security,
                  t ->
                      new TlsConfig(
                          t.port(),
                          t.keyStore(),
                          t.keyStorePassword(),
                          t.trustStore(),
                          t.trustStorePassword(),
                          verify(value)));
          default -> throw new IllegalStateException("unhandled option " + option);
        });
  }

  /** TLS options without a key store would leave AMQPS half configured. */
  static void checkComplete(BrokerConfig config) {
    TlsConfig tls = config.security().tls();
    if (tls != null && tls.keyStore() == null) {
      throw new IllegalArgumentException("--tls-* options need --tls-keystore");
    }
  }

  private static SecurityConfig tls(SecurityConfig security, UnaryOperator<TlsConfig> change) {
    TlsConfig current =
        security.tls() != null
            ? security.tls()
            : new TlsConfig(
                TlsConfig.DEFAULT_PORT, null, null, null, null, TlsConfig.ClientCertificates.NONE);
    return security.withTls(change.apply(current));
  }

  private static TlsConfig.ClientCertificates verify(String value) {
    try {
      return TlsConfig.ClientCertificates.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--tls-verify needs none, optional or required, not " + value);
    }
  }

  private static int number(String option, String value, int min, int max) {
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below like any other out-of-range value
    }
    throw new IllegalArgumentException(
        "%s needs a number from %d to %d, not %s".formatted(option, min, max, value));
  }
}
