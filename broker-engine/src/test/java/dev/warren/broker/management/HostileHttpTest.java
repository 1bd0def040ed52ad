package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.ManagementClient.Response;
import dev.warren.broker.testsupport.TestBroker;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or broken HTTP client gets from the management API: the right 4xx with a JSON
 * reason, never a password, and AMQP clients go on undisturbed.
 */
class HostileHttpTest {
  private static TestBroker broker;
  private static ManagementClient guest;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
    guest = new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void badJsonIs400WithRabbitMqsReason() {
    Response broken = guest.put("/api/queues/%2F/q-bad-json", "{\"durable\": tru");
    Response array = guest.put("/api/queues/%2F/q-bad-json", "[1,2]");
    Response string = guest.put("/api/queues/%2F/q-bad-json", "\"text\"");
    Response deep = guest.put("/api/queues/%2F/q-bad-json", "[".repeat(10_000));

    assertEquals(400, broken.status());
    assertEquals("not_json", broken.json().get("reason").asText());
    assertEquals(400, array.status());
    assertEquals(400, string.status());
    assertTrue(string.json().get("reason").asText().contains("doubly-JSON-encoded"));
    assertEquals(400, deep.status());
    assertEquals(404, guest.get("/api/queues/%2F/q-bad-json").status(), "nothing was declared");
  }

  @Test
  void wrongTypesInABodyAre400() {
    Response durable = guest.put("/api/queues/%2F/q-types", Map.of("durable", "maybe"));
    Response arguments = guest.put("/api/queues/%2F/q-types", Map.of("arguments", "none"));
    Response ttl =
        guest.put("/api/queues/%2F/q-types", Map.of("arguments", Map.of("x-message-ttl", -5)));

    assertEquals(400, durable.status());
    assertEquals(400, arguments.status());
    assertEquals(400, ttl.status());
    assertTrue(ttl.json().get("reason").asText().contains("x-message-ttl"), ttl.body());
  }

  @Test
  void aHugeBodyIs413BeforeItIsRead() throws Exception {
    try (Socket socket = new Socket(TestBroker.HOST, broker.managementPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/definitions HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Z3Vlc3Q6Z3Vlc3Q=\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      assertTrue(response.contains("\"reason\""), response);
    }
  }

  @Test
  void unknownVhostsAndObjectsAre404() {
    assertEquals(404, guest.get("/api/queues/no-such-vhost").status());
    assertEquals(404, guest.get("/api/queues/no-such-vhost/q").status());
    Response put = guest.put("/api/queues/no-such-vhost/q", Map.of());
    assertEquals(404, put.status());
    assertEquals("vhost_not_found", put.json().get("reason").asText());
    assertEquals(404, guest.get("/api/exchanges/%2F/no-such-exchange").status());
    assertEquals(404, guest.delete("/api/users/no-such-user").status());
  }

  @Test
  void dotDotInPathsNeverEscapes() throws Exception {
    for (String path :
        List.of(
            "/api/../api/overview",
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc%2fpasswd",
            "/api/queues/%2F/..",
            "/dev/warren/broker/Main.class")) {
      try (Socket socket = new Socket(TestBroker.HOST, broker.managementPort())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("GET "
                        + path
                        + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Z3Vlc3Q6Z3Vlc3Q=\r\n"
                        + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String response =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 404"), path + " -> " + response);
        assertTrue(response.contains("\"error\""), path + " -> " + response);
        assertFalse(response.contains("root:"), path);
      }
    }
  }

  @Test
  void wrongMethodsAre405AndMissingAuthIs401() {
    Response patch = guest.send("PATCH", "/api/queues/%2F/anything", "{}");
    Response anonymous = guest.as(null, null).put("/api/vhosts/x", Map.of());
    Response garbled = guest.send("GET", "/api/overview", null, "Authorization", "Basic %%%");

    assertEquals(405, patch.status());
    assertNotNull(patch.header("Allow"));
    assertEquals("method_not_allowed", patch.json().get("error").asText());
    assertEquals(401, anonymous.status());
    assertEquals(401, garbled.status());
    assertEquals(404, guest.get("/api/vhosts/x").status(), "nothing was created");
  }

  @Test
  void passwordsAppearNeitherInResponsesNorInLogs() {
    String password = "Pa55-" + java.util.UUID.randomUUID();
    List<String> logged = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(
                String.valueOf(record.getMessage())
                    + " "
                    + java.util.Arrays.toString(record.getParameters()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      assertEquals(
          201,
          guest.put("/api/users/secretive", Map.of("password", password, "tags", "")).status());
      guest.as("secretive", password + "-wrong").get("/api/overview");
      guest.as("guest", password).get("/api/overview");
      JsonNode user = guest.get("/api/users/secretive").json();
      String definitions = guest.get("/api/definitions").body();

      assertFalse(user.toString().contains(password));
      assertFalse(user.get("password_hash").asText().isEmpty());
      assertFalse(definitions.contains(password));
      assertTrue(logged.stream().noneMatch(line -> line.contains(password)), logged.toString());
    } finally {
      root.removeHandler(capture);
      guest.delete("/api/users/secretive");
    }
  }

  @Test
  void slowAndFloodingHttpClientsLeaveAmqpAndTheApiServing() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket(TestBroker.HOST, broker.managementPort());
        socket
            .getOutputStream()
            .write("GET /api/overview HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
        slow.add(socket);
      }
      assertEquals(200, guest.get("/api/overview").status());
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost(TestBroker.HOST);
      factory.setPort(broker.port());
      try (Connection connection = factory.newConnection()) {
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        channel.basicPublish("", queue, null, "still here".getBytes(StandardCharsets.UTF_8));
        GetResponse got = null;
        for (int i = 0; i < 100 && got == null; i++) {
          got = channel.basicGet(queue, true);
        }
        assertNotNull(got);
        assertEquals("still here", new String(got.getBody(), StandardCharsets.UTF_8));
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }
}
