package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.testsupport.FreePorts;
import dev.warren.broker.testsupport.ManagementClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime definitions changed through the management API survive kill -9 of the standalone broker:
 * each change is on disk before the API answers.
 */
class DefinitionsCrashTest {
  @TempDir Path workDir;

  @Test
  void usersVhostsPermissionsPoliciesAndLimitsSurviveKillNine() throws Exception {
    Path data = workDir.resolve("data");
    int managementPort = FreePorts.take();
    BrokerProcess broker = start(data, managementPort, "first.log");
    try {
      ManagementClient admin = new ManagementClient("127.0.0.1", managementPort, "guest", "guest");
      assertEquals(201, admin.put("/api/vhosts/orders", Map.of("description", "d")).status());
      assertEquals(
          201,
          admin
              .put("/api/users/app", Map.of("password", "s3cret", "tags", "policymaker"))
              .status());
      assertEquals(
          201,
          admin
              .put(
                  "/api/permissions/orders/app",
                  Map.of("configure", "^app-", "write", ".*", "read", ".*"))
              .status());
      assertEquals(
          201,
          admin
              .put(
                  "/api/policies/orders/ttl",
                  Map.of("pattern", "^app-", "definition", Map.of("message-ttl", 60000)))
              .status());
      assertEquals(
          204, admin.put("/api/vhost-limits/orders/max-queues", Map.of("value", 5)).status());
      assertEquals(204, admin.delete("/api/users/guest").status());

      broker.kill();
      broker = start(data, managementPort, "second.log");

      assertEquals(401, admin.get("/api/whoami").status(), "the deleted guest stays deleted");
      ManagementClient app = admin.as("app", "s3cret");
      assertEquals(200, app.get("/api/whoami").status());
      assertEquals(List.of("orders"), app.get("/api/vhosts").json().findValuesAsText("name"));
      try (Connection connection =
          factory(broker.port(), "app", "s3cret", "orders").newConnection()) {
        connection.createChannel().queueDeclare("app-queue", true, false, false, null);
      }
      ConnectionFactory guest = factory(broker.port(), "guest", "guest", "/");
      assertThrows(IOException.class, guest::newConnection, "the deleted guest cannot log in");
    } finally {
      broker.kill();
    }
    BrokerProcess third = start(data, managementPort, "third.log");
    try {
      ManagementClient app = new ManagementClient("127.0.0.1", managementPort, "app", "s3cret");
      assertEquals("^app-", app.get("/api/policies/orders/ttl").json().get("pattern").asText());
      assertEquals(
          1, app.get("/api/queues/orders/app-queue").json().get("durable").asBoolean() ? 1 : 0);
      JsonNode queue = app.get("/api/queues/orders/app-queue").json();
      assertEquals("ttl", queue.get("policy").asText(), "the recovered policy applies to it");
      assertEquals(60000, queue.get("effective_policy_definition").get("message-ttl").asInt());
    } finally {
      third.kill();
    }
  }

  @Test
  void aDeletedVhostsDurableQueuesDoNotComeBackAfterKillNine() throws Exception {
    Path data = workDir.resolve("data");
    int managementPort = FreePorts.take();
    BrokerProcess broker = start(data, managementPort, "first.log");
    try {
      ManagementClient admin = new ManagementClient("127.0.0.1", managementPort, "guest", "guest");
      admin.put("/api/vhosts/doomed", Map.of());
      admin.put(
          "/api/permissions/doomed/guest", Map.of("configure", ".*", "write", ".*", "read", ".*"));
      assertEquals(201, admin.put("/api/queues/doomed/kept", Map.of("durable", true)).status());
      assertEquals(204, admin.delete("/api/vhosts/doomed").status());
      broker.kill();
      broker = start(data, managementPort, "second.log");
      assertEquals(404, admin.get("/api/vhosts/doomed").status());
      assertEquals(201, admin.put("/api/vhosts/doomed", Map.of()).status());
      admin.put(
          "/api/permissions/doomed/guest", Map.of("configure", ".*", "write", ".*", "read", ".*"));
      assertEquals(404, admin.get("/api/queues/doomed/kept").status());
    } finally {
      broker.kill();
    }
  }

  private BrokerProcess start(Path data, int managementPort, String log) throws Exception {
    BrokerProcess broker =
        BrokerProcess.start(
            data,
            workDir.resolve(log),
            "--management-port",
            String.valueOf(managementPort),
            "--management-bind",
            "127.0.0.1");
    new ManagementClient("127.0.0.1", managementPort, null, null)
        .awaitListening(Duration.ofSeconds(30));
    return broker;
  }

  private static ConnectionFactory factory(int port, String user, String password, String vhost) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setVirtualHost(vhost);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5000);
    return factory;
  }
}
