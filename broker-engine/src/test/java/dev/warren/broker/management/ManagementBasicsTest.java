package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerVersion;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.ManagementClient.Response;
import dev.warren.broker.testsupport.TestBroker;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The management listener's first endpoints and its authentication, over real HTTP. */
class ManagementBasicsTest {
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
  void overviewNamesTheProductTheRabbitMqVersionAndTheListeners() {
    Response response = guest.get("/api/overview");

    assertEquals(200, response.status(), response.body());
    JsonNode overview = response.json();
    assertEquals("Warren", overview.get("product_name").asText());
    assertEquals(BrokerVersion.RABBITMQ, overview.get("rabbitmq_version").asText());
    assertTrue(overview.get("node").asText().startsWith("warren@"));
    Set<String> listeners = new HashSet<>();
    overview
        .get("listeners")
        .forEach(l -> listeners.add(l.get("protocol").asText() + ":" + l.get("port").asInt()));
    assertTrue(listeners.contains("amqp:" + broker.port()), listeners.toString());
    assertTrue(listeners.contains("http:" + broker.managementPort()), listeners.toString());
  }

  @Test
  void whoamiNamesTheUserAndItsTags() {
    JsonNode whoami = guest.get("/api/whoami").json();

    assertEquals("guest", whoami.get("name").asText());
    assertEquals("administrator", whoami.get("tags").get(0).asText());
  }

  @Test
  void missingOrWrongCredentialsAre401WithAReason() {
    Response anonymous = guest.as(null, null).get("/api/overview");
    Response wrong = guest.as("guest", "wrong").get("/api/overview");
    Response unknown = guest.as("nobody", "x").get("/api/whoami");

    assertEquals(401, anonymous.status());
    assertNotNull(anonymous.header("WWW-Authenticate"));
    assertEquals("not_authorized", anonymous.json().get("error").asText());
    assertEquals(401, wrong.status());
    assertEquals("Login failed", wrong.json().get("reason").asText());
    assertEquals(401, unknown.status());
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    Response unknown = guest.get("/api/no-such-thing");
    Response wrongMethod = guest.post("/api/overview", "{}");

    assertEquals(404, unknown.status());
    assertEquals("Object Not Found", unknown.json().get("error").asText());
    assertEquals(405, wrongMethod.status());
    assertTrue(wrongMethod.header("Allow").contains("GET"), wrongMethod.header("Allow"));
    assertEquals("method_not_allowed", wrongMethod.json().get("error").asText());
  }
}
