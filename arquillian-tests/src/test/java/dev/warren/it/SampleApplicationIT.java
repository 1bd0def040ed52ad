package dev.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built warren-rar.rar and ejb-sample.war in a real server — Payara Micro, then WildFly, one
 * boot each — driven from outside like a user would: RabbitMQ's Java client on the adapter's AMQP
 * port, and the sample's REST endpoints for the EJB side. Once more on Payara Micro with the
 * adapter in remote mode, against a RabbitMQ node ({@link RemoteBrokerSession}): the same war, the
 * same tests, and the client on RabbitMQ's port.
 */
@ExtendWith(ArquillianExtension.class)
class SampleApplicationIT {
  private static final String PARKING_QUEUE = "warren.parking";

  @ArquillianResource URL deploymentUrl;

  private SampleClient sample;
  private Connection amqp;
  private Channel channel;

  @Deployment(testable = false)
  static WebArchive sampleApplication() {
    return ShrinkWrap.create(ZipImporter.class, "ejb-sample.war")
        .importFrom(new File("target/deps/ejb-sample.war"))
        .as(WebArchive.class);
  }

  @BeforeEach
  void connect() throws Exception {
    RemoteBrokerSession.assumeBrokerStarted();
    sample = new SampleClient(deploymentUrl);
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(Integer.getInteger("warren.port"));
    amqp = factory.newConnection("SampleApplicationIT");
    channel = amqp.createChannel();
  }

  @AfterEach
  void disconnect() throws Exception {
    if (amqp != null && amqp.isOpen()) {
      amqp.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void awaitReceived(String listener, String body) {
    Poll.until(
        listener + " receiving " + body,
        () ->
            sample.receivedBodies(listener).contains(body) ? Optional.of(true) : Optional.empty());
  }

  /** An exclusive queue bound to an exchange, with deliveries collected as text. */
  private BlockingQueue<String> subscribe(String exchange, String routingKey) throws Exception {
    String queue = channel.queueDeclare().getQueue();
    channel.queueBind(queue, exchange, routingKey);
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    channel.basicConsume(
        queue,
        true,
        (tag, delivery) -> bodies.add(new String(delivery.getBody(), StandardCharsets.UTF_8)),
        tag -> {});
    return bodies;
  }

  /**
   * The adapter's management properties open RabbitMQ's management API inside the server: it sees
   * the queues the sample's MDBs declared. In remote mode no broker, and so no management listener,
   * runs in the server.
   */
  @Test
  void theManagementApiAnswersInsideTheServer() throws Exception {
    assumeTrue(
        System.getProperty("warren.it.remoteBroker") == null,
        "remote mode: the external broker serves its own management API");
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + Integer.getInteger("warren.managementPort")
                        + "/api/queues/%2F"))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .build();
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"name\":\"sample.tasks\""), response.body());
  }

  @Test
  void externalClientPublishesAndTheWorkQueueMdbReceives() throws Exception {
    String task = unique("task");
    channel.basicPublish(
        "", "sample.tasks", new AMQP.BasicProperties.Builder().deliveryMode(2).build(), utf8(task));

    awaitReceived("worker", task);
  }

  @Test
  void ejbPublishesAndAnExternalConsumerReceives() throws Exception {
    BlockingQueue<String> logs = subscribe("logs", "");
    String line = unique("log line");

    sample.publish("logs", "any", line);

    assertEquals(line, logs.poll(30, TimeUnit.SECONDS));
    awaitReceived("logs", line);
  }

  @Test
  void routingAndTopicSubscribersGetOnlyTheirKeys() throws Exception {
    String error = unique("error");
    String info = unique("info");
    channel.basicPublish("direct_logs", "info", null, utf8(info));
    channel.basicPublish("direct_logs", "error", null, utf8(error));
    String kernel = unique("kern");
    String critical = unique("critical");
    String ignored = unique("ignored");
    channel.basicPublish("topic_logs", "app.info", null, utf8(ignored));
    channel.basicPublish("topic_logs", "kern.info", null, utf8(kernel));
    channel.basicPublish("topic_logs", "app.critical", null, utf8(critical));

    awaitReceived("severe", error);
    awaitReceived("topic", kernel);
    awaitReceived("topic", critical);
    // published before the matching ones on the same channel, so they would have arrived first
    assertFalse(sample.receivedBodies("severe").contains(info));
    assertFalse(sample.receivedBodies("topic").contains(ignored));
  }

  @Test
  void publishInARolledBackTransactionIsNeverDelivered() throws Exception {
    BlockingQueue<String> logs = subscribe("logs", "");
    String rolledBack = unique("rolled back");
    String committed = unique("committed");

    sample.publishRolledBack("logs", "any", rolledBack);
    sample.publish("logs", "any", committed);

    // the committed message comes after the rolled-back one, so the latter would be seen first
    assertEquals(committed, logs.poll(30, TimeUnit.SECONDS));
    assertTrue(logs.isEmpty());
  }

  @Test
  void mdbRollbackRedeliversAndTheDatabaseEndsWithExactlyOneRow() throws Exception {
    String order = unique("order");
    AMQP.BasicProperties failOnce =
        new AMQP.BasicProperties.Builder()
            .deliveryMode(2)
            .headers(Map.of("x-fail-deliveries", 1))
            .build();

    channel.basicPublish("", "sample.orders", failOnce, utf8(order));

    JsonNode second =
        Poll.until(
            "the redelivery of " + order,
            () ->
                sample.received("orders").stream()
                    .filter(m -> m.get("body").asText().equals(order))
                    .filter(m -> m.get("deliveryCount").asInt() == 2)
                    .findFirst());
    assertTrue(second.get("redelivered").asBoolean());
    Poll.until(
        "one row for " + order,
        () -> sample.orderRows(order) == 1 ? Optional.of(true) : Optional.empty());
    List<JsonNode> attempts =
        sample.received("orders").stream()
            .filter(m -> m.get("body").asText().equals(order))
            .toList();
    assertEquals(2, attempts.size());
    assertFalse(attempts.get(0).get("redelivered").asBoolean());
  }

  @Test
  void poisonMessageIsParkedAfterMaxDeliveries() throws Exception {
    String order = unique("poison");
    AMQP.BasicProperties alwaysFail =
        new AMQP.BasicProperties.Builder().headers(Map.of("x-fail-deliveries", 100)).build();

    channel.basicPublish("", "sample.orders", alwaysFail, utf8(order));

    GetResponse parked =
        Poll.until(
            order + " in " + PARKING_QUEUE,
            () -> {
              try {
                GetResponse response = channel.basicGet(PARKING_QUEUE, false);
                if (response == null) {
                  return Optional.empty();
                }
                if (!new String(response.getBody(), StandardCharsets.UTF_8).equals(order)) {
                  // someone else's parked message: leave it for them
                  channel.basicNack(response.getEnvelope().getDeliveryTag(), false, true);
                  return Optional.empty();
                }
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                return Optional.of(response);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertEquals(
        "sample.orders",
        String.valueOf(parked.getProps().getHeaders().get("x-warren-parked-from")));
    long attempts = sample.receivedBodies("orders").stream().filter(order::equals).count();
    assertEquals(3, attempts, "maxDeliveries of OrderRecorder");
    assertEquals(0, sample.orderRows(order), "every attempt was rolled back");
  }

  @Test
  void rpcThroughTheSampleAnswersWithTheCorrelationId() throws Exception {
    assertEquals(55, sample.fibonacci(10));

    String replyQueue = channel.queueDeclare().getQueue();
    String correlationId = UUID.randomUUID().toString();
    BlockingQueue<AMQP.BasicProperties> replies = new LinkedBlockingQueue<>();
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    channel.basicConsume(
        replyQueue,
        true,
        (tag, delivery) -> {
          replies.add(delivery.getProperties());
          bodies.add(new String(delivery.getBody(), StandardCharsets.UTF_8));
        },
        tag -> {});
    channel.basicPublish(
        "",
        "rpc_queue",
        new AMQP.BasicProperties.Builder().replyTo(replyQueue).correlationId(correlationId).build(),
        utf8("20"));

    assertEquals("6765", bodies.poll(30, TimeUnit.SECONDS));
    assertEquals(correlationId, replies.poll(1, TimeUnit.SECONDS).getCorrelationId());
  }
}
