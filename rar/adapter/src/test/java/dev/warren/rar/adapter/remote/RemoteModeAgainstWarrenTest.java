package dev.warren.rar.adapter.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Connection;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.engine.TlsConfig;
import dev.warren.broker.security.TestCertificates;
import dev.warren.rar.adapter.inbound.AmqpActivationSpec;
import dev.warren.rar.adapter.testsupport.ExternalBroker;
import dev.warren.rar.adapter.testsupport.ExternalWarren;
import dev.warren.rar.adapter.testsupport.Poll;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote mode against the standalone Warren broker, started by the test. */
class RemoteModeAgainstWarrenTest extends RemoteModeContract {
  @TempDir static Path brokerData;
  private static ExternalWarren warren;

  @BeforeAll
  static void startWarren() {
    warren = ExternalWarren.start(brokerData);
  }

  @AfterAll
  static void stopWarren() {
    if (warren != null) {
      warren.close();
    }
  }

  @Override
  ExternalBroker broker() {
    return warren;
  }

  @Test
  void mdbFailsOverToTheOtherAddressWhenItsBrokerStops(@TempDir Path dirs) throws Exception {
    try (ExternalWarren first = ExternalWarren.start(dir(dirs, "first"));
        ExternalWarren second = ExternalWarren.start(dir(dirs, "second"));
        RunningAdapter adapter =
            RunningAdapter.remote(
                dir(dirs, "adapter"),
                "127.0.0.1:" + first.port() + ",127.0.0.1:" + second.port(),
                a -> {})) {
      AmqpActivationSpec spec = spec();
      spec.setDurable(false);
      BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
      adapter.adapter.endpointActivation(
          new RecordingEndpointFactory(true, m -> bodies.add(m.bodyAsString())), spec);
      // the client picks one of the addresses at random
      ExternalWarren connected = consumers(first) == 1 ? first : second;
      ExternalWarren other = connected == first ? second : first;

      connected.stop();

      Poll.until("the consumer on the other broker", RESTART_TIMEOUT, () -> consumers(other) == 1);
      publishTo(other, "after the failover");
      assertEquals("after the failover", bodies.poll(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void mdbDeployedWhileTheBrokerIsDownConsumesOnceItIsUp(@TempDir Path dirs) throws Exception {
    try (ExternalWarren late = ExternalWarren.start(dir(dirs, "broker"))) {
      late.stop();
      try (RunningAdapter adapter =
          RunningAdapter.remote(dir(dirs, "adapter"), late.port(), a -> {})) {
        BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        adapter.adapter.endpointActivation(
            new RecordingEndpointFactory(true, m -> bodies.add(m.bodyAsString())), spec());

        late.restart();

        Poll.until("the MDB's consumer", RESTART_TIMEOUT, () -> consumers(late) == 1);
        publishTo(late, "once it is up");
        assertEquals("once it is up", bodies.poll(10, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void connectsWithTlsTrustingTheBrokersCaAndPresentingItsOwnCertificate(@TempDir Path dirs)
      throws Exception {
    TestCertificates pki = TestCertificates.create(dir(dirs, "pki"));
    TlsConfig tls =
        new TlsConfig(
            0,
            pki.serverKeyStore,
            TestCertificates.PASSWORD,
            pki.trustStore,
            TestCertificates.PASSWORD,
            TlsConfig.ClientCertificates.REQUIRED);
    Path clientKeys = pki.client("warren-rar");
    try (ExternalWarren secured =
            ExternalWarren.start(
                dir(dirs, "broker"),
                config -> config.withSecurity(SecurityConfig.defaults().withTls(tls)));
        RunningAdapter adapter =
            RunningAdapter.remote(
                dir(dirs, "adapter"),
                "127.0.0.1:" + secured.tlsPort(),
                a -> {
                  a.setTls(true);
                  a.setTlsTrustStore(pki.trustStore.toString());
                  a.setTlsTrustStorePassword(TestCertificates.PASSWORD);
                  a.setTlsKeyStore(clientKeys.toString());
                  a.setTlsKeyStorePassword(TestCertificates.PASSWORD);
                })) {
      BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
      adapter.adapter.endpointActivation(
          new RecordingEndpointFactory(true, m -> bodies.add(m.bodyAsString())), spec());

      publishTo(secured, "over TLS");

      assertEquals("over TLS", bodies.poll(10, TimeUnit.SECONDS));
    }
  }

  private static Path dir(Path parent, String name) throws IOException {
    return Files.createDirectories(parent.resolve(name));
  }

  private int consumers(ExternalWarren broker) {
    try (Connection connection = broker.client("failover-test")) {
      return connection.createChannel().queueDeclarePassive(queue).getConsumerCount();
    } catch (IOException | TimeoutException e) {
      return 0; // not declared there (a 404 closes the channel), or the broker is down
    }
  }

  private void publishTo(ExternalWarren broker, String body) throws Exception {
    try (Connection connection = broker.client("failover-test")) {
      connection.createChannel().basicPublish("", queue, null, body.getBytes(UTF_8));
    }
  }
}
