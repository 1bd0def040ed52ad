package dev.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying the MDBs and stopping the adapter, on WildFly: unlike Payara Micro (one process per
 * deployment), it can undeploy and redeploy the sample and the adapter while the server runs. Each
 * test leaves both deployments as it found them.
 */
@ExtendWith(ArquillianExtension.class)
class WildFlyLifecycleIT {
  private static final String SAMPLE = "sample";
  private static final String RAR = "warren-rar.rar";
  private static final String ORDERS = "sample.orders";

  @ArquillianResource Deployer deployer;
  @ArquillianResource ManagementClient management;

  @Deployment(name = SAMPLE, managed = false, testable = false)
  static WebArchive sampleApplication() {
    return ShrinkWrap.create(ZipImporter.class, "ejb-sample.war")
        .importFrom(new File("target/deps/ejb-sample.war"))
        .as(WebArchive.class);
  }

  private static Connection connect() throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(Integer.getInteger("warren.port"));
    return factory.newConnection("WildFlyLifecycleIT");
  }

  private static SampleClient sample() throws Exception {
    return new SampleClient(
        new URL("http://127.0.0.1:" + Integer.getInteger("wildfly.http.port") + "/ejb-sample/"));
  }

  /** queue.declare(passive): on a fresh channel, since a 404 would close it. */
  private static Optional<AMQP.Queue.DeclareOk> state(Connection connection, String queue) {
    try (Channel probe = connection.createChannel()) {
      return Optional.of(probe.queueDeclarePassive(queue));
    } catch (IOException | TimeoutException e) {
      return Optional.empty();
    }
  }

  @Test
  void undeployingTheMdbCancelsItsConsumerAndLosesNoMessage() throws Exception {
    String batch = "batch-" + UUID.randomUUID();
    int published = 300;
    try (Connection connection = connect()) {
      deployer.deploy(SAMPLE);
      Poll.until(
          "the order MDB consuming",
          () -> state(connection, ORDERS).filter(s -> s.getConsumerCount() == 1));
      Channel channel = connection.createChannel();
      AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      for (int i = 0; i < published; i++) {
        channel.basicPublish(
            "", ORDERS, persistent, (batch + "-" + i).getBytes(StandardCharsets.UTF_8));
      }

      deployer.undeploy(SAMPLE);

      AMQP.Queue.DeclareOk afterUndeploy = state(connection, ORDERS).orElseThrow();
      assertEquals(0, afterUndeploy.getConsumerCount());
      // what the MDB had not committed is back in the queue; the redeployed MDB takes it
      deployer.deploy(SAMPLE);
      try {
        SampleClient sample = sample();
        // each order is a two-phase commit (the ack and the row) whose ack is forced to disk
        String counts =
            Poll.until(
                "every order of the batch recorded",
                Duration.ofMinutes(2),
                () -> {
                  String json = sample.ordersWithPrefix(batch);
                  return json.contains("\"rows\":" + published)
                      ? Optional.of(json)
                      : Optional.empty();
                });
        assertEquals("{\"rows\":" + published + ",\"distinct\":" + published + "}", counts);
      } finally {
        deployer.undeploy(SAMPLE);
      }
    }
  }

  @Test
  void stoppingTheAdapterClosesExternalConnectionsWith320() throws Exception {
    Connection connection = connect();
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    connection.addShutdownListener(closed::complete);
    try {
      deploymentOperation("undeploy");

      ShutdownSignalException signal = closed.get(30, TimeUnit.SECONDS);
      assertTrue(signal.isHardError());
      assertEquals(320, ((AMQP.Connection.Close) signal.getReason()).getReplyCode());
    } finally {
      deploymentOperation("deploy");
    }
    Poll.until(
        "the adapter listening again",
        () -> {
          try (Connection again = connect()) {
            return Optional.of(again.isOpen());
          } catch (IOException | TimeoutException e) {
            return Optional.empty();
          }
        });
  }

  private void deploymentOperation(String name) throws IOException {
    ModelNode operation = new ModelNode();
    operation.get("operation").set(name);
    operation.get("address").add("deployment", RAR);
    ModelNode result = management.getControllerClient().execute(operation);
    assertEquals("success", result.get("outcome").asString(), result.toString());
  }
}
