package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.ManagementClient.Response;
import dev.warren.broker.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

/** RabbitMQ's health-check endpoints, healthy and failing. */
class HealthChecksTest {

  @Test
  void aHealthyBrokerPassesEveryCheck() {
    try (TestBroker broker = TestBroker.startWithManagement(BrokerConfig.defaults())) {
      ManagementClient guest =
          new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest");
      for (String check :
          new String[] {
            "alarms",
            "local-alarms",
            "virtual-hosts",
            "node-is-quorum-critical",
            "port-listener/" + broker.port(),
            "protocol-listener/amqp091",
            "is-in-service",
            "ready-to-serve-clients"
          }) {
        Response response = guest.get("/api/health/checks/" + check);
        assertEquals(200, response.status(), check + ": " + response.body());
        assertEquals("ok", response.json().get("status").asText(), check);
      }
      assertEquals(200, guest.get("/api/aliveness-test/%2F").status());
      assertEquals("ok", guest.get("/api/aliveness-test/%2F").json().get("status").asText());
    }
  }

  @Test
  void missingListenersFailWith503AndProbesNeedNoLogin() {
    try (TestBroker broker = TestBroker.startWithManagement(BrokerConfig.defaults())) {
      ManagementClient guest =
          new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest");
      ManagementClient anonymous = guest.as(null, null);

      Response port = guest.get("/api/health/checks/port-listener/1");
      Response protocol = guest.get("/api/health/checks/protocol-listener/amqps");

      assertEquals(503, port.status());
      assertEquals("failed", port.json().get("status").asText());
      assertEquals("No active listener", port.json().get("reason").asText());
      assertEquals(503, protocol.status());
      assertEquals("amqp/ssl", protocol.json().get("missing").asText());
      assertEquals(200, anonymous.get("/api/health/checks/is-in-service").status());
      assertEquals(200, anonymous.get("/api/health/checks/ready-to-serve-clients").status());
      assertEquals(401, anonymous.get("/api/health/checks/alarms").status());
    }
  }

  @Test
  void aRaisedResourceAlarmFailsTheAlarmChecks() throws Exception {
    BrokerConfig lowOnDisk =
        BrokerConfig.defaults()
            .withStore(BrokerConfig.defaults().store().withDiskFreeLimitBytes(Long.MAX_VALUE));
    try (TestBroker broker = TestBroker.startWithManagement(lowOnDisk)) {
      ManagementClient guest =
          new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest");
      Response alarms = awaitFailure(guest, "/api/health/checks/alarms");

      assertEquals(503, alarms.status());
      JsonNode alarm = alarms.json().get("alarms").get(0);
      assertEquals("disk", alarm.get("resource").asText());
      assertEquals(503, guest.get("/api/health/checks/local-alarms").status());
    }
  }

  /** The monitor checks every 250 ms: poll for the failure with a deadline. */
  private static Response awaitFailure(ManagementClient client, String path) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Response response = client.get(path);
    while (response.status() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(50); // polling a periodic monitor for a deadline
      response = client.get(path);
    }
    return response;
  }
}
