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
  void listsArePagedSortedFilteredAndCutToColumnsAsRabbitMqDoes() {
    for (int i = 0; i < 12; i++) {
      assertEquals(
          201, guest.put("/api/queues/%2F/paged-" + (char) ('a' + i), java.util.Map.of()).status());
    }

    JsonNode page =
        guest.get("/api/queues/%2F?page=2&page_size=5&name=paged-&columns=name,messages").json();
    JsonNode reversed =
        guest.get("/api/queues/%2F?sort=name&sort_reverse=true&columns=name").json();
    JsonNode regex = guest.get("/api/queues/%2F?page=1&name=paged-[ab]$&use_regex=true").json();
    ManagementClient.Response tooLarge = guest.get("/api/queues?page=1&page_size=501");

    assertEquals(12, page.get("filtered_count").asInt());
    assertEquals(2, page.get("page").asInt());
    assertEquals(3, page.get("page_count").asInt());
    assertEquals(5, page.get("item_count").asInt());
    assertEquals("paged-f", page.get("items").get(0).get("name").asText());
    assertEquals(Set.of("name", "messages"), fieldNames(page.get("items").get(0)));
    assertEquals("paged-l", reversed.get(0).get("name").asText());
    assertEquals(Set.of("name"), fieldNames(reversed.get(0)));
    assertEquals(2, regex.get("filtered_count").asInt());
    assertEquals(400, tooLarge.status());
    assertEquals("invalid_pagination_parameters", tooLarge.json().get("error").asText());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
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
