package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.TlsConfig;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command-line options for users, TLS and limits. */
class SecurityOptionsTest {

  @Test
  void securityOptionsOverrideTheDefaults() {
    BrokerConfig config =
        Main.parse(
            new String[] {
              "--definitions",
              "defs.json",
              "--no-default-user",
              "--loopback-users",
              "guest, admin",
              "--max-connections",
              "100",
              "--max-queues-per-vhost",
              "1000",
              "--max-exchanges-per-vhost",
              "50",
              "--tls-keystore",
              "server.p12",
              "--tls-keystore-password",
              "secret",
              "--tls-port",
              "5999",
              "--tls-truststore",
              "ca.p12",
              "--tls-verify",
              "required"
            },
            BrokerConfig.defaults());

    assertEquals(Path.of("defs.json"), config.security().definitionsFile());
    assertNull(config.defaultUser());
    assertEquals(Set.of("guest", "admin"), config.security().loopbackUsers());
    assertEquals(100, config.security().maxConnections());
    assertEquals(1000, config.security().maxQueuesPerVhost());
    assertEquals(50, config.security().maxExchangesPerVhost());
    TlsConfig tls = config.security().tls();
    assertEquals(Path.of("server.p12"), tls.keyStore());
    assertEquals("secret", tls.keyStorePassword());
    assertEquals(5999, tls.port());
    assertEquals(Path.of("ca.p12"), tls.trustStore());
    assertEquals(TlsConfig.ClientCertificates.REQUIRED, tls.clientCertificates());
  }

  @Test
  void withoutOptionsGuestIsLoopbackOnlyAndThereIsNoTls() {
    BrokerConfig config = Main.parse(new String[0], BrokerConfig.defaults());

    assertEquals("guest", config.defaultUser());
    assertEquals(Set.of("guest"), config.security().loopbackUsers());
    assertNull(config.security().tls());
    assertEquals(0, config.security().maxQueuesPerVhost());
    assertEquals(0, config.security().maxExchangesPerVhost());
    assertEquals(
        Set.of(),
        Main.parse(new String[] {"--loopback-users", ""}, BrokerConfig.defaults())
            .security()
            .loopbackUsers());
  }

  @Test
  void tlsOptionsWithoutAKeyStoreAndBadValuesAreRejected() {
    BrokerConfig defaults = BrokerConfig.defaults();
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--tls-port", "5671"}, defaults));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Main.parse(
                new String[] {"--tls-keystore", "k.p12", "--tls-verify", "maybe"}, defaults));
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--max-connections", "-1"}, defaults));
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.parse(new String[] {"--max-queues-per-vhost", "many"}, defaults));
  }
}
