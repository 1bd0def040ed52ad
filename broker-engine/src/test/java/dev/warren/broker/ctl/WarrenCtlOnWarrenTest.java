package dev.warren.broker.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * warrenctl end to end against Warren's own management API: every command runs, prints what
 * rabbitmqctl would (the comparison with rabbitmqctl itself is WarrenCtlDifferentialTest's), and
 * changes what it says, checked through AMQP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarrenCtlOnWarrenTest {
  private TestBroker broker;
  private String url;

  @BeforeAll
  void start() {
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
    url = "http://" + TestBroker.HOST + ":" + broker.managementPort() + "/";
  }

  @AfterAll
  void stop() {
    broker.close();
  }

  @Test
  void listCommandsShowWhatAClientDeclaredAndPublished() throws Exception {
    try (Connection connection =
            factory("/", Map.of("connection_name", "ctl-client")).newConnection();
        Channel channel = connection.createChannel()) {
      channel.exchangeDeclare("ctl-x", "topic", true);
      channel.queueDeclare("ctl-q", true, false, false, Map.of("x-max-length", 100L));
      channel.queueBind("ctl-q", "ctl-x", "a.#");
      for (int i = 0; i < 3; i++) {
        channel.basicPublish("ctl-x", "a.b", null, "m".getBytes(StandardCharsets.UTF_8));
      }
      channel.basicConsume(
          "ctl-q", false, "ctl-tag", new com.rabbitmq.client.DefaultConsumer(channel));

      CtlRun queues = ctl("list_queues", "name", "messages", "consumers", "durable", "arguments");
      assertEquals(0, queues.exitCode(), queues.err());
      assertEquals("Timeout: 60.0 seconds ...", queues.lines().get(0));
      assertEquals("Listing queues for vhost / ...", queues.lines().get(1));
      assertEquals("name\tmessages\tconsumers\tdurable\targuments", queues.lines().get(2));
      await(
          () ->
              ctl("list_queues", "-s", "name", "messages_unacknowledged", "consumers")
                  .lines()
                  .contains("ctl-q\t3\t1"),
          "3 unacked messages on ctl-q");
      assertTrue(
          ctl("list_queues", "-s", "name", "arguments")
              .lines()
              .contains("ctl-q\t[{\"x-max-length\",100}]"));
      assertTrue(ctl("list_exchanges", "-s").lines().contains("ctl-x\ttopic"));
      assertTrue(
          ctl("list_bindings", "-s").lines().contains("ctl-x\texchange\tctl-q\tqueue\ta.#\t[]"));
      assertTrue(
          ctl("list_consumers", "-s", "queue_name", "consumer_tag", "ack_required")
              .lines()
              .contains("ctl-q\tctl-tag\ttrue"));
      assertTrue(
          ctl("list_connections", "-s", "user", "vhost", "client_properties")
              .out()
              .contains("{\"connection_name\",\"ctl-client\"}"));
      assertFalse(ctl("list_channels", "-s", "pid", "consumer_count").lines().isEmpty());
      String json = ctl("list_queues", "--formatter", "json", "name", "arguments").out();
      assertTrue(
          json.contains("{\"name\":\"ctl-q\",\"arguments\":[[\"x-max-length\",\"long\",100]]}"),
          json);
    }
  }

  @Test
  void usersVhostsPermissionsAndPoliciesAreChangedForReal() throws Exception {
    assertOk(ctl("add_vhost", "ctl-v"));
    assertOk(ctl("add_user", "ctl-u", "first"));
    assertOk(ctl("set_permissions", "-p", "ctl-v", "ctl-u", ".*", ".*", ".*"));
    assertOk(ctl("change_password", "ctl-u", "second"));
    assertOk(ctl("set_user_tags", "ctl-u", "management"));
    assertTrue(ctl("list_users", "-s").lines().contains("ctl-u\t[management]"));
    assertTrue(ctl("list_vhosts", "-s").lines().contains("ctl-v"));
    assertTrue(ctl("list_permissions", "-s", "-p", "ctl-v").lines().contains("ctl-u\t.*\t.*\t.*"));
    ConnectionFactory factory = factory("ctl-v", Map.of());
    factory.setUsername("ctl-u");
    factory.setPassword("second");
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      assertOk(
          ctl(
              "set_policy",
              "-p",
              "ctl-v",
              "--apply-to",
              "queues",
              "cap",
              "^capped$",
              "{\"max-length\":2}"));
      assertTrue(
          ctl("list_policies", "-s", "-p", "ctl-v")
              .lines()
              .contains("ctl-v\tcap\t^capped$\tqueues\t{\"max-length\":2}\t0"));
      channel.queueDeclare("capped", false, false, false, null);
      for (int i = 0; i < 5; i++) {
        channel.basicPublish("", "capped", null, "x".getBytes(StandardCharsets.UTF_8));
      }
      await(
          () ->
              ctl("list_queues", "-s", "-p", "ctl-v", "name", "policy")
                  .lines()
                  .contains("capped\tcap"),
          "the policy on the queue");
      await(() -> countOf(channel, "capped") > 0, "messages on capped");
      assertOk(ctl("purge_queue", "-p", "ctl-v", "capped"));
      assertEquals(0, countOf(channel, "capped"));
      assertOk(ctl("clear_policy", "-p", "ctl-v", "cap"));
      assertEquals("", String.join("", ctl("list_policies", "-s", "-p", "ctl-v").lines()));
      CtlRun delete = ctl("delete_queue", "-p", "ctl-v", "capped");
      assertOk(delete);
      assertTrue(delete.out().contains("Queue was successfully deleted with 0 ready messages"));
    }
    assertOk(ctl("clear_permissions", "-p", "ctl-v", "ctl-u"));
    assertOk(ctl("delete_user", "ctl-u"));
    assertEquals(CtlException.NO_USER, ctl("delete_user", "ctl-u").exitCode());
    assertOk(ctl("delete_vhost", "ctl-v"));
    assertFalse(ctl("list_vhosts", "-s").lines().contains("ctl-v"));
  }

  @Test
  void closeConnectionClosesTheClientWithTheReason() throws Exception {
    Connection connection = factory("/", Map.of("connection_name", "doomed")).newConnection();
    try {
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);
      String name = null;
      for (String row : ctl("list_connections", "-s", "name", "client_properties").lines()) {
        if (row.contains("\"doomed\"")) {
          name = row.substring(0, row.indexOf('\t'));
        }
      }
      assertOk(ctl("close_connection", name, "go away"));
      ShutdownSignalException signal = closed.get(30, TimeUnit.SECONDS);
      assertTrue(signal.getMessage().contains("CONNECTION_FORCED - go away"), signal.getMessage());
    } finally {
      connection.abort();
    }
  }

  @Test
  void definitionsGoOutAndComeBack(@TempDir Path dir) throws Exception {
    assertOk(ctl("add_vhost", "ctl-defs"));
    assertOk(ctl("set_permissions", "-p", "ctl-defs", "guest", ".*", ".*", ".*"));
    try (Connection connection = factory("ctl-defs", Map.of()).newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("kept", true, false, false, null);
    }
    Path file = dir.resolve("defs.json");
    assertOk(ctl("export_definitions", file.toString()));
    assertTrue(Files.readString(file).contains("\"kept\""));
    assertOk(ctl("delete_vhost", "ctl-defs"));
    CtlRun imported = ctl("import_definitions", file.toString());
    assertOk(imported);
    try (Connection connection = factory("ctl-defs", Map.of()).newConnection();
        Channel channel = connection.createChannel()) {
      assertEquals(0, channel.queueDeclarePassive("kept").getMessageCount());
    }
    CtlRun status = ctl("status");
    assertOk(status);
    assertTrue(status.out().contains("Listeners"), status.out());
    assertTrue(status.out().contains("port: " + broker.port() + ", protocol: amqp"), status.out());
  }

  private CtlRun ctl(String... args) {
    return CtlRun.warrenctl(url, "", args);
  }

  private static void assertOk(CtlRun run) {
    assertEquals(0, run.exitCode(), run.out() + run.err());
  }

  private ConnectionFactory factory(String vhost, Map<String, Object> properties) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setVirtualHost(vhost);
    if (!properties.isEmpty()) {
      factory.setClientProperties(properties);
    }
    return factory;
  }

  private static long countOf(Channel channel, String queue) {
    try {
      return channel.queueDeclarePassive(queue).getMessageCount();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(100); // a deadline poll
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
