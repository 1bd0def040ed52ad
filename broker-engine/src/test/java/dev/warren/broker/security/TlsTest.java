package dev.warren.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.engine.TlsConfig;
import dev.warren.broker.engine.TlsConfig.ClientCertificates;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AMQPS with the Java client and pika: plain TLS, SASL EXTERNAL with a client certificate, and the
 * refusals — an untrusted certificate, a missing one where required, an unknown CN.
 */
class TlsTest {
  private static final String DEFINITIONS =
      """
      {"users": [{"name": "guest", "password": "guest", "tags": "administrator"},
                 {"name": "app-alice", "password_hash": "", "tags": ""}],
       "vhosts": [{"name": "/"}],
       "permissions": [
         {"user": "guest", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
         {"user": "app-alice", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]}
      """;

  @TempDir static Path dir;
  private static TestCertificates pki;

  /** Client certificates optional: plain logins and EXTERNAL on the same listener. */
  private static TestBroker optional;

  /** Client certificates required. */
  private static TestBroker required;

  @BeforeAll
  static void start() {
    pki = TestCertificates.create(dir);
    optional = startWith(ClientCertificates.OPTIONAL);
    required = startWith(ClientCertificates.REQUIRED);
    assumeTrue(optional.isWarren(), "starts Warren's AMQPS listener");
  }

  private static TestBroker startWith(ClientCertificates mode) {
    TlsConfig tls =
        new TlsConfig(
            0,
            pki.serverKeyStore,
            TestCertificates.PASSWORD,
            pki.trustStore,
            TestCertificates.PASSWORD,
            mode);
    return TestBroker.start(
        BrokerConfig.defaults()
            .withSecurity(
                SecurityConfig.defaults()
                    .withDefinitionsFile(SecurityFixture.definitions(dir, DEFINITIONS))
                    .withTls(tls)));
  }

  @AfterAll
  static void stop() {
    if (optional != null) {
      optional.close();
    }
    if (required != null) {
      required.close();
    }
  }

  @Test
  void theJavaClientPublishesAndGetsOverTls() throws Exception {
    ConnectionFactory factory = tlsFactory(optional, null);
    try (Connection connection = factory.newConnection()) {
      roundTrip(connection.createChannel());
    }
  }

  @Test
  void externalLogsInAsTheClientCertificatesCommonName() throws Exception {
    ConnectionFactory factory = tlsFactory(required, pki.client("app-alice"));
    factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    try (Connection connection = factory.newConnection()) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      // user_id is refused unless it names the authenticated user
      channel.basicPublish(
          "", queue, new AMQP.BasicProperties.Builder().userId("app-alice").build(), new byte[0]);
      SecurityFixture.sync(channel);
      assertEquals(1, channel.queueDeclarePassive(queue).getMessageCount());
    }
  }

  @Test
  void externalWithACertificateForAnUnknownUserIsRefused() {
    ConnectionFactory factory = tlsFactory(required, pki.client("app-nobody"));
    factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
    assertThrows(AuthenticationFailureException.class, factory::newConnection);
  }

  @Test
  void anUntrustedClientCertificateIsRefusedInTheHandshake() {
    ConnectionFactory factory = tlsFactory(required, pki.untrustedClient("mallory"));
    assertThrows(IOException.class, factory::newConnection);
  }

  @Test
  void aMissingClientCertificateIsRefusedWhereRequired() {
    ConnectionFactory factory = tlsFactory(required, null);
    assertThrows(IOException.class, factory::newConnection);
  }

  @Test
  void theAmqpPortStaysPlainAlongsideTls() throws Exception {
    ConnectionFactory factory = SecurityFixture.factory(optional.port(), "guest", "guest", "/");
    try (Connection connection = factory.newConnection()) {
      roundTrip(connection.createChannel());
    }
  }

  @Test
  void pikaConnectsWithSslOptionsAndWithExternal() throws Exception {
    assumeTrue(
        new ProcessBuilder("/usr/bin/python3", "-c", "import pika").start().waitFor() == 0,
        "python3-pika is not installed");
    assertEquals("RECEIVED over tls", pika(optional, null, false));
    assertEquals("RECEIVED over tls", pika(required, pki.client("app-alice"), true));
  }

  private static String pika(TestBroker broker, Path clientKeyStore, boolean external)
      throws Exception {
    String moduleDir = System.getProperty("basedir", System.getProperty("user.dir"));
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                Path.of(moduleDir, "src", "test", "python", "tls_roundtrip.py").toString(),
                "--port=" + broker.engine().amqpsPort(),
                "--cafile=" + pki.caCertificate));
    if (clientKeyStore != null) {
      Path[] pem = pki.pem(clientKeyStore);
      command.add("--certfile=" + pem[0]);
      command.add("--keyfile=" + pem[1]);
    }
    if (external) {
      command.add("--external");
    }
    Path output = dir.resolve("pika-" + System.nanoTime() + ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("pika did not finish: " + Files.readString(output));
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8).strip();
    assertEquals(0, process.exitValue(), printed);
    return printed;
  }

  private static ConnectionFactory tlsFactory(TestBroker broker, Path clientKeyStore) {
    ConnectionFactory factory =
        SecurityFixture.factory(broker.engine().amqpsPort(), "guest", "guest", "/");
    SSLContext context = pki.clientContext(clientKeyStore);
    factory.useSslProtocol(context);
    return factory;
  }

  private static void roundTrip(Channel channel) throws Exception {
    String queue = channel.queueDeclare().getQueue();
    channel.basicPublish("", queue, null, "over tls".getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + SecurityFixture.TIMEOUT.toNanos();
    GetResponse got = null;
    while (got == null && System.nanoTime() < deadline) {
      got = channel.basicGet(queue, true);
    }
    assertNotNull(got, "the message came back");
    assertEquals("over tls", new String(got.getBody(), StandardCharsets.UTF_8));
  }
}
