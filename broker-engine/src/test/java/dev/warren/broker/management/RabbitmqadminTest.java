package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's rabbitmqadmin, unchanged, operates Warren as it operates RabbitMQ. */
class RabbitmqadminTest {
  private static TestBroker broker;
  private static Rabbitmqadmin admin;

  @BeforeAll
  static void start() {
    Rabbitmqadmin.requireInstalled();
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
    admin = new Rabbitmqadmin(broker.managementPort(), "guest", "guest");
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void declaresListsAndDeletesQueuesExchangesAndBindings() {
    String queue = unique("q");
    String exchange = unique("x");
    admin.run("declare", "queue", "name=" + queue, "durable=true").succeeded();
    admin.run("declare", "exchange", "name=" + exchange, "type=topic").succeeded();
    admin
        .run("declare", "binding", "source=" + exchange, "destination=" + queue, "routing_key=a.*")
        .succeeded();

    assertTrue(admin.rows("list", "queues", "name", "durable").contains(List.of(queue, "True")));
    assertTrue(
        admin.rows("list", "exchanges", "name", "type").contains(List.of(exchange, "topic")));
    assertTrue(
        admin
            .rows("list", "bindings", "source", "destination", "routing_key")
            .contains(List.of(exchange, queue, "a.*")));

    String propertiesKey =
        admin.rows("list", "bindings", "source", "properties_key").stream()
            .filter(row -> row.get(0).equals(exchange))
            .findFirst()
            .orElseThrow()
            .get(1);
    admin
        .run(
            "delete",
            "binding",
            "source=" + exchange,
            "destination_type=queue",
            "destination=" + queue,
            "properties_key=" + propertiesKey)
        .succeeded();
    assertTrue(
        admin.rows("list", "bindings", "source").stream().noneMatch(r -> r.contains(exchange)));
    admin.run("delete", "exchange", "name=" + exchange).succeeded();
    admin.run("delete", "queue", "name=" + queue).succeeded();
    assertTrue(admin.rows("list", "queues", "name").stream().noneMatch(r -> r.contains(queue)));
  }

  @Test
  void publishesGetsAndPurgesMessages() throws Exception {
    String queue = unique("q");
    admin.run("declare", "queue", "name=" + queue, "durable=false").succeeded();

    admin.run("publish", "routing_key=" + queue, "payload=hello from rabbitmqadmin").succeeded();
    admin.run("publish", "routing_key=" + queue, "payload=second").succeeded();
    List<List<String>> got =
        admin.rows("get", "queue=" + queue, "ackmode=ack_requeue_true", "count=1");
    assertTrue(got.get(0).contains("hello from rabbitmqadmin"), got.toString());
    assertEquals(List.of(List.of(queue, "2")), listQueue(queue));

    admin.run("purge", "queue", "name=" + queue).succeeded();
    assertEquals(List.of(List.of(queue, "0")), listQueue(queue));

    admin.run("publish", "routing_key=" + queue, "payload=taken").succeeded();
    admin.rows("get", "queue=" + queue, "ackmode=ack_requeue_false");
    assertEquals(List.of(List.of(queue, "0")), listQueue(queue));
    try (Connection connection = factory().newConnection()) {
      GetResponse none = connection.createChannel().basicGet(queue, true);
      assertEquals(null, none);
    }
  }

  @Test
  void closesAConnectionWith320AndTheGivenReason() throws Exception {
    Connection connection = factory().newConnection("to-be-closed");
    try {
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);
      String name =
          admin.rows("list", "connections", "name", "user_provided_name").stream()
              .filter(row -> row.get(1).equals("to-be-closed"))
              .findFirst()
              .orElseThrow()
              .get(0);

      admin.run("close", "connection", "name=" + name).succeeded();

      AMQP.Connection.Close close =
          assertInstanceOf(
              AMQP.Connection.Close.class, closed.get(5, TimeUnit.SECONDS).getReason());
      assertEquals(320, close.getReplyCode());
      assertEquals("CONNECTION_FORCED - Closed via management plugin", close.getReplyText());
    } finally {
      connection.abort();
    }
  }

  @Test
  void managesUsersVhostsPermissionsAndPolicies() throws Exception {
    String user = unique("user");
    String vhost = unique("vhost");
    admin.run("declare", "vhost", "name=" + vhost).succeeded();
    admin.run("declare", "user", "name=" + user, "password=pw", "tags=management").succeeded();
    admin
        .run(
            "declare",
            "permission",
            "vhost=" + vhost,
            "user=" + user,
            "configure=.*",
            "write=.*",
            "read=.*")
        .succeeded();
    admin
        .run(
            "-V",
            vhost,
            "declare",
            "policy",
            "name=ttl",
            "pattern=^q",
            "definition={\"message-ttl\":1000}",
            "apply-to=queues")
        .succeeded();

    assertTrue(admin.rows("list", "users", "name", "tags").contains(List.of(user, "management")));
    assertTrue(admin.rows("list", "vhosts", "name").contains(List.of(vhost)));
    assertTrue(
        admin
            .rows("list", "permissions", "user", "vhost", "write")
            .contains(List.of(user, vhost, ".*")));
    assertTrue(
        admin
            .rows("list", "policies", "vhost", "name", "pattern")
            .contains(List.of(vhost, "ttl", "^q")));
    ConnectionFactory asUser = factory();
    asUser.setUsername(user);
    asUser.setPassword("pw");
    asUser.setVirtualHost(vhost);
    try (Connection connection = asUser.newConnection()) {
      assertTrue(connection.isOpen());
    }
    Rabbitmqadmin asManagementUser = new Rabbitmqadmin(broker.managementPort(), user, "pw");
    assertEquals(List.of(List.of(vhost)), asManagementUser.rows("list", "vhosts", "name"));

    admin.run("-V", vhost, "delete", "policy", "name=ttl").succeeded();
    admin.run("delete", "permission", "vhost=" + vhost, "user=" + user).succeeded();
    admin.run("delete", "user", "name=" + user).succeeded();
    admin.run("delete", "vhost", "name=" + vhost).succeeded();
    assertTrue(admin.rows("list", "users", "name").stream().noneMatch(r -> r.contains(user)));
    assertTrue(admin.rows("list", "vhosts", "name").stream().noneMatch(r -> r.contains(vhost)));
  }

  @Test
  void exportsAndImportsDefinitions(@TempDir Path dir) throws Exception {
    String queue = unique("q");
    String user = unique("user");
    admin
        .run("declare", "queue", "name=" + queue, "durable=true", "arguments={\"x-max-length\":7}")
        .succeeded();
    admin.run("declare", "user", "name=" + user, "password=pw", "tags=monitoring").succeeded();
    Path export = dir.resolve("definitions.json");
    admin.run("export", export.toString()).succeeded();
    String exported = Files.readString(export, StandardCharsets.UTF_8);
    assertTrue(exported.contains(queue) && exported.contains(user), exported);
    assertTrue(exported.contains("password_hash") && !exported.contains("\"pw\""), exported);

    admin.run("delete", "queue", "name=" + queue).succeeded();
    admin.run("delete", "user", "name=" + user).succeeded();
    admin.run("import", export.toString()).succeeded();

    assertTrue(admin.rows("list", "queues", "name").contains(List.of(queue)));
    assertTrue(admin.rows("list", "users", "name", "tags").contains(List.of(user, "monitoring")));
    Rabbitmqadmin restored = new Rabbitmqadmin(broker.managementPort(), user, "pw");
    assertNotEquals(0, restored.rows("list", "queues", "name").size());
  }

  private static List<List<String>> listQueue(String queue) {
    return admin.rows("list", "queues", "name", "messages").stream()
        .filter(row -> row.get(0).equals(queue))
        .toList();
  }

  private static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5000);
    return factory;
  }

  private static String unique(String what) {
    return "adm-" + what + "-" + UUID.randomUUID();
  }
}
