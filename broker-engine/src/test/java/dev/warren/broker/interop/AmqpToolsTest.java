package dev.warren.broker.interop;

import static dev.warren.broker.interop.TutorialScripts.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's C client (rabbitmq-c) through its command-line tools, Debian's amqp-tools: each call
 * its own process, checked against what RabbitMQ's Java client sees on the same broker. Outputs,
 * exit statuses and error texts are those the tools give against RabbitMQ.
 */
class AmqpToolsTest {
  private static TestBroker broker;
  private static Connection java;

  private final List<ScriptProcess> started = new ArrayList<>();
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startBroker() throws Exception {
    broker = TestBroker.start();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    java = factory.newConnection("amqp-tools-test");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (java != null) {
      java.abort();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** Per test rather than per class, so that a skip shows up in the report with its reason. */
  @BeforeEach
  void requireTools() {
    TutorialClient.require(
        "amqp-tools",
        TutorialClient.succeeds(List.of("amqp-publish", "--help")),
        "amqp-publish is not on the PATH (./test.sh installs Debian's amqp-tools)");
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(ScriptProcess::close);
  }

  private ScriptProcess tool(String name, String... arguments) {
    List<String> command =
        Stream.concat(
                Stream.of(name, "--server=" + TestBroker.HOST, "--port=" + broker.port()),
                Stream.of(arguments))
            .toList();
    ScriptProcess process = ScriptProcess.start(name, new ProcessBuilder(command));
    started.add(process);
    return process;
  }

  @Test
  void aQueueIsDeclaredPublishedToAndReadFromTheCommandLine() throws Exception {
    String queue = "tools-" + unique;
    assertEquals(List.of(queue), tool("amqp-declare-queue", "-d", "-q", queue).awaitSuccess(WAIT));
    tool("amqp-publish", "-r", queue, "-b", "hello amqp-tools").awaitSuccess(WAIT);
    tool(
            "amqp-publish",
            "-r",
            queue,
            "-p",
            "-C",
            "text/plain",
            "-H",
            "x-origin: cli",
            "-b",
            "with properties")
        .awaitSuccess(WAIT);

    assertEquals(List.of("hello amqp-tools"), tool("amqp-get", "-q", queue).awaitSuccess(WAIT));
    Channel channel = java.createChannel();
    GetResponse second = channel.basicGet(queue, true);
    assertEquals("with properties", new String(second.getBody(), StandardCharsets.UTF_8));
    assertEquals("text/plain", second.getProps().getContentType());
    assertEquals(2, second.getProps().getDeliveryMode());
    assertEquals("cli", second.getProps().getHeaders().get("x-origin").toString());
    // an empty queue: amqp-get prints nothing and exits with status 2, as against RabbitMQ
    ScriptProcess empty = tool("amqp-get", "-q", queue);
    assertEquals(2, empty.awaitExit(WAIT));
    assertEquals(List.of(), empty.lines());
    channel.queueDelete(queue);
  }

  @Test
  void aConsumerCommandRunsOncePerMessageAndAcknowledgesEach() throws Exception {
    String queue = "tools-consume-" + unique;
    Channel channel = java.createChannel();
    channel.queueDeclare(queue, false, false, false, null);
    for (String body : List.of("one\n", "two\n", "three\n")) {
      channel.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
    }

    List<String> output = tool("amqp-consume", "-q", queue, "-c", "3", "cat").awaitSuccess(WAIT);

    assertEquals(List.of("one", "two", "three"), output);
    // the tool has closed its connection: an unacknowledged message would be back in the queue
    assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount());
    assertEquals(0, channel.queueDeclarePassive(queue).getConsumerCount());
    channel.queueDelete(queue);
  }

  @Test
  void aServerNamedQueueBoundFromTheCommandLineGetsOnlyMatchingKeys() throws Exception {
    String prefix = "orders-" + unique;
    ScriptProcess consumer =
        tool("amqp-consume", "-e", "amq.topic", "-r", prefix + ".*", "-c", "2", "cat");
    Channel channel = java.createChannel();
    channel.confirmSelect();
    AtomicReference<String> returned = new AtomicReference<>();
    channel.addReturnListener(r -> returned.set(r.getRoutingKey()));

    // The tool declares, binds and consumes once it is up: until then a mandatory publish returns.
    long deadline = System.nanoTime() + WAIT.toNanos();
    do {
      assertTrue(System.nanoTime() < deadline, "the tool never bound its queue");
      returned.set(null);
      publish(channel, prefix + ".first", "first\n");
      if (returned.get() != null) {
        TimeUnit.MILLISECONDS.sleep(20); // polling for the tool's binding
      }
    } while (returned.get() != null);
    publish(channel, "billing-" + unique + ".x", "not for the tool\n");
    assertEquals("billing-" + unique + ".x", returned.get(), "unroutable, so returned");
    publish(channel, prefix + ".second", "second\n");

    assertEquals(List.of("first", "second"), consumer.awaitSuccess(WAIT));
  }

  /** Publishes mandatory and waits for the confirm, so a basic.return has arrived by then. */
  private static void publish(Channel channel, String routingKey, String body) throws Exception {
    channel.basicPublish(
        "amq.topic", routingKey, true, null, body.getBytes(StandardCharsets.UTF_8));
    channel.waitForConfirmsOrDie(WAIT.toMillis());
  }

  @Test
  void refusalsCarryRabbitMqsReplyCodesAndTexts() {
    assertRefused(
        tool("amqp-declare-queue", "-q", "amq.reserved-" + unique),
        "queue.declare: server channel error 403, message: ACCESS_REFUSED - queue name"
            + " 'amq.reserved-"
            + unique
            + "' contains reserved prefix 'amq.*'");
    assertRefused(
        tool("amqp-publish", "-e", "nowhere-" + unique, "-r", "k", "-b", "lost"),
        "closing channel: server channel error 404, message: NOT_FOUND - no exchange 'nowhere-"
            + unique
            + "' in vhost '/'");
    assertRefused(
        tool("amqp-get", "-q", "missing-" + unique),
        "basic.get: server channel error 404, message: NOT_FOUND - no queue 'missing-"
            + unique
            + "' in vhost '/'");
  }

  private static void assertRefused(ScriptProcess tool, String expectedError) {
    assertEquals(1, tool.awaitExit(WAIT), () -> "exit status; stderr: " + tool.errorLines());
    assertEquals(List.of(expectedError), tool.errorLines());
  }
}
