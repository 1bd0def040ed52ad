package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.ManagementClient.Response;
import dev.warren.broker.testsupport.RabbitMqNode;
import dev.warren.broker.testsupport.TestBroker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same scripted session against a RabbitMQ 3.10.8 node with its management plugin and against
 * Warren: every step must answer with the same status, and a JSON answer with the same field names,
 * less the fields Warren documents as not served ({@link UnservedFields}). Values (ids, rates,
 * timestamps, counts) are not compared. Then a real RabbitMQ export is imported into a fresh Warren
 * and gives the same topology and users.
 */
class ManagementDifferentialTest {
  private static final String VHOST = "diff-vhost";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RabbitMqNode rabbit;
  private static TestBroker warren;

  @BeforeAll
  static void start() {
    rabbit = RabbitMqNode.start(RabbitMqNode.Plugin.MANAGEMENT);
    warren = TestBroker.startWithManagement(BrokerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    if (warren != null) {
      warren.close();
    }
    if (rabbit != null) {
      rabbit.close();
    }
  }

  /**
   * What RabbitMQ shows only once its statistics have been emitted (every few seconds), while
   * Warren counts at once: Warren may show it first.
   */
  private static final Set<String> LATE_IN_RABBITMQ =
      Set.of("message_stats", "items.message_stats");

  /** One broker under test: its API and its AMQP port. */
  private record Target(String name, ManagementClient api, int amqpPort) {}

  /**
   * A step of the session: a request, and which fields of its answer are compared. RabbitMQ fills
   * in statistics (connections, channels, consumers, queue and vhost counts) every few seconds:
   * with {@code awaitField}, the step is repeated until RabbitMQ's answer lists something and shows
   * that field.
   */
  private record Step(
      String method, String path, Object body, String resource, String awaitField) {}

  @Test
  void theScriptedSessionAnswersAlikeOnRabbitMqAndWarren() throws Exception {
    Target reference =
        new Target(
            "RabbitMQ",
            new ManagementClient(rabbit.host(), rabbit.managementPort(), "guest", "guest"),
            rabbit.amqpPort());
    Target subject =
        new Target(
            "Warren",
            new ManagementClient(TestBroker.HOST, warren.managementPort(), "guest", "guest"),
            warren.port());
    List<String> differences = new ArrayList<>();
    List<Step> setUp = setUpSteps();
    for (Step step : setUp) {
      compare(step, reference, subject, differences);
    }
    try (Connection onRabbit = consumer(reference);
        Connection onWarren = consumer(subject)) {
      for (Step step : observeSteps()) {
        compare(step, reference, subject, differences);
      }
    }
    for (Step step : tearDownSteps()) {
      compare(step, reference, subject, differences);
    }
    assertEquals(List.of(), differences, String.join("\n", differences));
  }

  @Test
  void aRealRabbitMqExportImportsIntoWarrenWithTheSameTopologyAndUsers() throws Exception {
    ManagementClient rabbitApi =
        new ManagementClient(rabbit.host(), rabbit.managementPort(), "guest", "guest");
    String vhost = "exported";
    rabbitApi.put("/api/vhosts/" + vhost, Map.of());
    rabbitApi.put(
        "/api/users/exporter", Map.of("password", "from-rabbit", "tags", "management,policymaker"));
    rabbitApi.put(
        "/api/permissions/" + vhost + "/exporter",
        Map.of("configure", "^ex-", "write", ".*", "read", ".*"));
    rabbitApi.put(
        "/api/permissions/" + vhost + "/guest",
        Map.of("configure", ".*", "write", ".*", "read", ".*"));
    rabbitApi.put(
        "/api/exchanges/" + vhost + "/ex-events",
        Map.of("type", "topic", "durable", true, "arguments", Map.of()));
    rabbitApi.put(
        "/api/queues/" + vhost + "/ex-orders",
        Map.of(
            "durable", true, "arguments", Map.of("x-max-length", 100, "x-queue-type", "classic")));
    rabbitApi.post(
        "/api/bindings/" + vhost + "/e/ex-events/q/ex-orders",
        Map.of("routing_key", "order.*", "arguments", Map.of("x-match", "all")));
    rabbitApi.put(
        "/api/policies/" + vhost + "/ttl",
        Map.of(
            "pattern", "^ex-", "definition", Map.of("message-ttl", 60000), "apply-to", "queues"));
    rabbitApi.put("/api/vhost-limits/" + vhost + "/max-connections", Map.of("value", 50));
    String export = rabbitApi.get("/api/definitions").body();

    try (TestBroker fresh = TestBroker.startWithManagement(BrokerConfig.defaults())) {
      ManagementClient warrenApi =
          new ManagementClient(TestBroker.HOST, fresh.managementPort(), "guest", "guest");
      Response imported = warrenApi.post("/api/definitions", export);
      assertEquals(204, imported.status(), imported.body());

      JsonNode fromRabbit = JSON.readTree(export);
      JsonNode fromWarren = warrenApi.get("/api/definitions").json();
      for (String section :
          List.of(
              "users",
              "vhosts",
              "permissions",
              "topic_permissions",
              "policies",
              "parameters",
              "queues",
              "exchanges",
              "bindings")) {
        assertEquals(
            normalised(fromRabbit.get(section)),
            normalised(fromWarren.get(section)),
            section + " differ");
      }
      assertEquals(200, warrenApi.as("exporter", "from-rabbit").get("/api/whoami").status());
      ConnectionFactory factory = factory(fresh.port());
      factory.setUsername("exporter");
      factory.setPassword("from-rabbit");
      factory.setVirtualHost(vhost);
      try (Connection connection = factory.newConnection()) {
        connection.createChannel().queueDeclarePassive("ex-orders");
      }
    }
  }

  private static List<Step> setUpSteps() {
    String v = "/api/vhosts/" + VHOST;
    return List.of(
        get("/api/overview", "overview"),
        get("/api/whoami", "whoami"),
        put(v, Map.of(), null),
        put(v, Map.of("description", "differential"), null),
        put("/api/users/diff-user", Map.of("password", "pw", "tags", "management"), null),
        put("/api/users/diff-user-no-tags", Map.of("password", "pw"), null),
        get("/api/users/diff-user", "user"),
        put(
            "/api/permissions/" + VHOST + "/diff-user",
            Map.of("configure", ".*", "write", ".*", "read", ".*"),
            null),
        put(
            "/api/permissions/" + VHOST + "/guest",
            Map.of("configure", ".*", "write", ".*", "read", ".*"),
            null),
        put(
            "/api/permissions/" + VHOST + "/nobody",
            Map.of("configure", ".*", "write", ".*", "read", ".*"),
            null),
        get("/api/permissions/" + VHOST + "/diff-user", "permission"),
        get("/api/users/diff-user/permissions", "permission"),
        put(
            "/api/topic-permissions/" + VHOST + "/diff-user",
            Map.of("exchange", "amq.topic", "write", ".*", "read", ".*"),
            null),
        get("/api/topic-permissions", "topic-permission"),
        put(
            "/api/exchanges/" + VHOST + "/diff-x",
            Map.of("type", "topic", "durable", true, "arguments", Map.of()),
            null),
        put("/api/exchanges/" + VHOST + "/diff-x", Map.of("type", "topic", "durable", true), null),
        put("/api/exchanges/" + VHOST + "/diff-x", Map.of("type", "direct", "durable", true), null),
        put(
            "/api/queues/" + VHOST + "/diff-q",
            Map.of("durable", true, "arguments", Map.of("x-max-length", 10)),
            null),
        put(
            "/api/queues/" + VHOST + "/diff-q",
            Map.of("durable", true, "arguments", Map.of("x-max-length", 10)),
            null),
        put("/api/queues/" + VHOST + "/diff-q", Map.of("durable", false), null),
        put(
            "/api/queues/" + VHOST + "/diff-bad",
            Map.of("arguments", Map.of("x-max-length", -1)),
            null),
        post(
            "/api/bindings/" + VHOST + "/e/diff-x/q/diff-q",
            Map.of("routing_key", "a.*", "arguments", Map.of())),
        post(
            "/api/bindings/" + VHOST + "/e/diff-x/q/diff-q",
            Map.of("routing_key", "b.#", "arguments", Map.of("k", "v"))),
        post(
            "/api/bindings/" + VHOST + "/e/diff-x/q/no-such-queue",
            Map.of("routing_key", "a.*", "arguments", Map.of())),
        get("/api/bindings/" + VHOST + "/e/diff-x/q/diff-q", "binding"),
        get("/api/bindings/" + VHOST, "binding"),
        get("/api/queues/" + VHOST + "/diff-q/bindings", "binding"),
        get("/api/exchanges/" + VHOST + "/diff-x/bindings/source", "binding"),
        post(
            "/api/exchanges/" + VHOST + "/diff-x/publish",
            Map.of(
                "routing_key",
                "a.b",
                "payload",
                "hello",
                "payload_encoding",
                "string",
                "properties",
                Map.of("headers", Map.of("h", 1), "delivery_mode", 2))),
        post(
            "/api/exchanges/" + VHOST + "/diff-x/publish",
            Map.of(
                "routing_key",
                "nowhere",
                "payload",
                "lost",
                "payload_encoding",
                "string",
                "properties",
                Map.of())),
        post(
            "/api/queues/" + VHOST + "/diff-q/get",
            Map.of("count", 5, "ackmode", "ack_requeue_true", "encoding", "auto")),
        get("/api/queues/" + VHOST + "?page=0", "queue"),
        get("/api/exchanges/" + VHOST, "exchange"),
        get("/api/exchanges/" + VHOST + "/diff-x", "exchange"),
        get("/api/exchanges/" + VHOST + "/amq.default", "exchange"),
        put(
            "/api/policies/" + VHOST + "/diff-p",
            Map.of("pattern", "^diff", "definition", Map.of("max-length", 5), "apply-to", "queues"),
            null),
        put(
            "/api/policies/" + VHOST + "/diff-p",
            Map.of("pattern", "^diff", "definition", Map.of("max-length", 6), "priority", 1),
            null),
        put(
            "/api/policies/" + VHOST + "/bad",
            Map.of("pattern", "^x", "definition", Map.of("nonsense", 1)),
            null),
        put("/api/policies/" + VHOST + "/bad", Map.of("definition", Map.of("max-length", 1)), null),
        get("/api/policies/" + VHOST + "/diff-p", "policy"),
        get("/api/policies", "policy"),
        put(
            "/api/operator-policies/" + VHOST + "/diff-op",
            Map.of("pattern", "^diff", "definition", Map.of("max-length", 3), "apply-to", "queues"),
            null),
        get("/api/operator-policies", "policy"),
        put("/api/vhost-limits/" + VHOST + "/max-queues", Map.of("value", 100), null),
        put("/api/vhost-limits/" + VHOST + "/bogus", Map.of("value", 1), null),
        get("/api/vhost-limits/" + VHOST, "limits"),
        get("/api/parameters", "parameter"),
        put("/api/global-parameters/diff-param", Map.of("value", "hello"), null),
        get("/api/global-parameters/diff-param", "global-parameter"),
        get("/api/definitions", "definitions"),
        get("/api/definitions/" + VHOST, "vhost-definitions"),
        get("/api/users", "user"),
        awaited("/api/nodes", "node", "mem_used"),
        get("/api/extensions", "extensions"),
        get("/api/cluster-name", "cluster-name"),
        get("/api/health/checks/alarms", "health"),
        get("/api/health/checks/virtual-hosts", "health"),
        get("/api/health/checks/protocol-listener/amqp", "health"),
        get("/api/aliveness-test/%2F", "health"),
        get("/api/queues/no-such-vhost", null),
        put("/api/queues/no-such-vhost/q", Map.of(), null),
        get("/api/no-such-endpoint", null),
        new Step("POST", "/api/overview", Map.of(), null, null),
        new Step("PATCH", "/api/queues/" + VHOST + "/diff-q", Map.of(), null, null));
  }

  private static List<Step> observeSteps() {
    return List.of(
        awaited("/api/connections", "connection", "name"),
        awaited("/api/channels", "channel", "name"),
        awaited("/api/consumers", "consumer", "consumer_tag"),
        awaited("/api/consumers/" + VHOST, "consumer", "consumer_tag"),
        awaited("/api/vhosts/" + VHOST + "/connections", "connection", "name"),
        awaited("/api/queues/" + VHOST + "/diff-q", "queue", "messages"),
        awaited("/api/queues/" + VHOST + "?page=1&page_size=10", "queue", "messages"),
        awaited("/api/queues?columns=name,messages", "queue-columns", "messages"),
        awaited("/api/vhosts/" + VHOST, "vhost", "messages"),
        awaited("/api/vhosts", "vhost", "messages"));
  }

  private static List<Step> tearDownSteps() {
    return List.of(
        delete("/api/queues/" + VHOST + "/diff-q/contents"),
        delete("/api/exchanges/" + VHOST + "/no-such-x"),
        delete("/api/bindings/" + VHOST + "/e/diff-x/q/diff-q/a.%252A"),
        delete("/api/bindings/" + VHOST + "/e/diff-x/q/diff-q/a.%252A"),
        delete("/api/exchanges/" + VHOST + "/diff-x"),
        delete("/api/queues/" + VHOST + "/diff-q?if-empty=true"),
        delete("/api/policies/" + VHOST + "/diff-p"),
        delete("/api/policies/" + VHOST + "/diff-p"),
        delete("/api/vhost-limits/" + VHOST + "/max-queues"),
        delete("/api/permissions/" + VHOST + "/diff-user"),
        delete("/api/users/diff-user"),
        delete("/api/users/diff-user"),
        delete("/api/vhosts/" + VHOST),
        delete("/api/vhosts/" + VHOST));
  }

  private static Step get(String path, String resource) {
    return new Step("GET", path, null, resource, null);
  }

  private static Step awaited(String path, String resource, String field) {
    return new Step("GET", path, null, resource, field);
  }

  private static Step put(String path, Object body, String resource) {
    return new Step("PUT", path, body, resource, null);
  }

  private static Step post(String path, Object body) {
    return new Step("POST", path, body, null, null);
  }

  private static Step delete(String path) {
    return new Step("DELETE", path, null, null, null);
  }

  private static void compare(Step step, Target reference, Target subject, List<String> out)
      throws Exception {
    Response expected = send(step, reference);
    Response actual = send(step, subject);
    String what = step.method() + " " + step.path();
    if (expected.status() != actual.status()) {
      out.add(
          what
              + ": status "
              + actual.status()
              + " "
              + actual.body()
              + ", RabbitMQ "
              + expected.status()
              + " "
              + expected.body());
      return;
    }
    if (actual.status() >= 400 && !actual.json().has("reason")) {
      out.add(what + ": an error without a JSON reason: " + actual.body());
    }
    if (step.resource() == null || expected.status() != 200) {
      return;
    }
    Set<String> rabbitFields = fields(expected.json());
    Set<String> warrenFields = fields(actual.json());
    Set<String> invented = new TreeSet<>(warrenFields);
    invented.removeAll(rabbitFields);
    invented.removeAll(LATE_IN_RABBITMQ);
    Set<String> missing = new TreeSet<>(rabbitFields);
    missing.removeAll(warrenFields);
    missing.removeAll(UnservedFields.of(step.resource()));
    if (!invented.isEmpty() || !missing.isEmpty()) {
      out.add(what + ": fields Warren adds " + invented + ", fields Warren lacks " + missing);
    }
  }

  /** Sends a step, repeating it while the statistics it waits for have not arrived. */
  private static Response send(Step step, Target target) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      Response response = target.api().send(step.method(), step.path(), step.body());
      boolean ready =
          step.awaitField() == null
              || response.status() != 200
              || showsField(response.json(), step.awaitField());
      if (ready || System.nanoTime() > deadline) {
        return response;
      }
      Thread.sleep(200); // RabbitMQ's statistics arrive every few seconds: poll with a deadline
    }
  }

  private static boolean showsField(JsonNode json, String field) {
    JsonNode items = json.has("items") ? json.get("items") : json;
    if (items.isArray()) {
      return !items.isEmpty() && items.get(0).has(field);
    }
    return items.has(field);
  }

  /** Top-level field names of an object, of every element of an array, of a page's items. */
  private static Set<String> fields(JsonNode json) {
    Set<String> names = new TreeSet<>();
    if (json.isArray()) {
      json.forEach(element -> names.addAll(fields(element)));
    } else if (json.isObject()) {
      json.fieldNames().forEachRemaining(names::add);
      if (json.has("items")) {
        json.get("items")
            .forEach(item -> item.fieldNames().forEachRemaining(n -> names.add("items." + n)));
      }
    }
    return names;
  }

  /** A section of definitions, order-insensitive, without what differs by design. */
  private static Set<String> normalised(JsonNode section) {
    Set<String> items = new TreeSet<>();
    if (section == null) {
      return items;
    }
    for (JsonNode item : section) {
      ObjectNode copy = item.deepCopy();
      if (copy.has("name") && copy.get("name").asText().equals("internal_cluster_id")) {
        continue;
      }
      items.add(sorted(copy).toString());
    }
    return items;
  }

  private static JsonNode sorted(JsonNode node) {
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = JSON.createObjectNode();
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    names.sort(String::compareTo);
    names.forEach(name -> out.set(name, sorted(node.get(name))));
    return out;
  }

  private static Connection consumer(Target target) throws Exception {
    ConnectionFactory factory = factory(target.amqpPort());
    factory.setVirtualHost(VHOST);
    Connection connection = factory.newConnection("differential");
    Channel channel = connection.createChannel();
    channel.basicQos(5);
    channel.basicConsume("diff-q", false, "diff-consumer", new DefaultConsumer(channel));
    assertTrue(connection.isOpen());
    return connection;
  }

  private static ConnectionFactory factory(int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(10_000);
    return factory;
  }
}
