package dev.warren.broker.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.testsupport.ManagementClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted sessions that set policies through the management API of a broker (Warren or a RabbitMQ
 * node) and watch their effects through a real AMQP client. Each returns what a client could see
 * (message bodies, confirms, returns, x-death reasons, the queue's policy fields), so that the same
 * session can be asserted on Warren and compared with RabbitMQ. Each scenario uses its own queue
 * and policy names in vhost {@code /} and removes what it made.
 *
 * <p>RabbitMQ applies a policy to its queue processes a moment after the API answered; every step
 * that depends on a policy first waits (polling, bounded) until the queue lists it.
 */
final class PolicyScenarios implements AutoCloseable {
  /**
   * Deadline of every wait: a policy reaches the API's listing of a RabbitMQ queue with the next
   * stats emission (5 s), later on a loaded machine (a gate run missed 10 s once).
   */
  private static final long TIMEOUT_MS = 30_000;

  private final ManagementClient api;
  private final Connection connection;
  private final Channel channel;

  PolicyScenarios(String host, int amqpPort, ManagementClient api) throws Exception {
    this.api = api;
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(amqpPort);
    this.connection = factory.newConnection();
    this.channel = connection.createChannel();
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }

  // --- the scenarios

  /**
   * A message-ttl policy (with a dead-letter route) set on a queue that already holds a message:
   * RabbitMQ gives the TTL to messages published from then on; the older message keeps none and, at
   * the head, holds back the expiry of those behind it until it is consumed.
   */
  Map<String, Object> messageTtlOnAnExistingQueue() throws Exception {
    String queue = "pol.ttl";
    String dead = "pol.ttl.dead";
    declare(queue, Map.of());
    declare(dead, Map.of());
    publish(queue, "old");
    Map<String, Object> seen = new LinkedHashMap<>();
    setPolicy(
        "pol-ttl",
        "^pol\\.ttl$",
        "queues",
        0,
        Map.of("message-ttl", 300, "dead-letter-exchange", "", "dead-letter-routing-key", dead));
    awaitPolicy(queue, "pol-ttl");
    long published = System.nanoTime();
    publish(queue, "new-1");
    awaitElapsed(published, 600);
    seen.put("first get", get(queue));
    seen.put("second get", get(queue));
    publish(queue, "new-2");
    seen.put("dead-lettered", drain(dead, 2));
    seen.put("queue", queueFields(queue));
    clearPolicy("pol-ttl");
    delete(queue, dead);
    return seen;
  }

  /**
   * A max-length policy on a queue holding five messages trims it to the newest two at once; then
   * drop-head keeps the newest two as more arrive; an overflow of reject-publish added to the
   * policy nacks the publish instead.
   */
  Map<String, Object> maxLengthTrimsThenDropsHeadThenRejects() throws Exception {
    String queue = "pol.len";
    declare(queue, Map.of());
    for (int i = 1; i <= 5; i++) {
      publish(queue, "m" + i);
    }
    Map<String, Object> seen = new LinkedHashMap<>();
    setPolicy("pol-len", "^pol\\.len$", "queues", 0, Map.of("max-length", 2));
    awaitPolicy(queue, "pol-len");
    seen.put("depth after the policy", awaitDepth(queue, 2));
    seen.put("confirm of m6", publishConfirmed(queue, "m6"));
    setPolicy(
        "pol-len",
        "^pol\\.len$",
        "queues",
        0,
        Map.of("max-length", 2, "overflow", "reject-publish"));
    awaitDefinition(queue, "overflow");
    seen.put("confirm of m7", publishConfirmed(queue, "m7"));
    seen.put("messages", drain(queue, 2));
    seen.put("queue", queueFields(queue));
    clearPolicy("pol-len");
    delete(queue);
    return seen;
  }

  /**
   * A dead-letter-exchange policy routes rejected messages; a queue's own dead-letter arguments win
   * over the policy's, as RabbitMQ's classic queues resolve them.
   */
  Map<String, Object> deadLetterPolicyRoutesRejectedMessages() throws Exception {
    String plain = "pol.dlx.src1";
    String ownKey = "pol.dlx.src2";
    String policyTarget = "pol.dlx.dead";
    String ownTarget = "pol.dlx.own";
    declare(policyTarget, Map.of());
    declare(ownTarget, Map.of());
    declare(plain, Map.of());
    declare(ownKey, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", ownTarget));
    setPolicy(
        "pol-dlx",
        "^pol\\.dlx\\.src",
        "queues",
        0,
        Map.of("dead-letter-exchange", "", "dead-letter-routing-key", policyTarget));
    awaitPolicy(plain, "pol-dlx");
    awaitPolicy(ownKey, "pol-dlx");
    publish(plain, "from-1");
    publish(ownKey, "from-2");
    rejectOne(plain);
    rejectOne(ownKey);
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("policy's target", drain(policyTarget, 1));
    seen.put("own target", drain(ownTarget, 1));
    seen.put("queue", queueFields(plain));
    clearPolicy("pol-dlx");
    delete(plain, ownKey, policyTarget, ownTarget);
    return seen;
  }

  /** An alternate-exchange policy catches what its exchange cannot route, until it is deleted. */
  Map<String, Object> alternateExchangePolicy() throws Exception {
    String exchange = "pol.ae.x";
    String alternate = "pol.ae.alt";
    String caught = "pol.ae.q";
    channel.exchangeDeclare(exchange, "direct", false, false, null);
    channel.exchangeDeclare(alternate, "fanout", false, false, null);
    declare(caught, Map.of());
    channel.queueBind(caught, alternate, "");
    setPolicy("pol-ae", "^pol\\.ae\\.x$", "exchanges", 0, Map.of("alternate-exchange", alternate));
    awaitExchangePolicy(exchange, "pol-ae");
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("returned with the policy", publishMandatory(exchange, "one"));
    seen.put("caught", drain(caught, 1));
    clearPolicy("pol-ae");
    awaitExchangePolicy(exchange, null);
    seen.put("returned without it", publishMandatory(exchange, "two"));
    channel.exchangeDelete(exchange);
    channel.exchangeDelete(alternate);
    delete(caught);
    return seen;
  }

  /**
   * Of two policies matching a queue the higher priority wins; one of still higher priority that
   * applies to exchanges only is not considered for queues.
   */
  Map<String, Object> priorityAndApplyTo() throws Exception {
    String queue = "pol.prio";
    declare(queue, Map.of());
    setPolicy("pol-prio-low", "^pol\\.prio$", "queues", 1, Map.of("max-length", 1));
    setPolicy("pol-prio-high", "^pol\\.prio", "all", 5, Map.of("max-length", 3));
    setPolicy("pol-prio-exchanges", "prio", "exchanges", 10, Map.of("alternate-exchange", "x"));
    awaitPolicy(queue, "pol-prio-high");
    for (int i = 1; i <= 5; i++) {
      publishConfirmed(queue, "m" + i);
    }
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("messages", drain(queue, 3));
    seen.put("queue", queueFields(queue));
    clearPolicy("pol-prio-low");
    clearPolicy("pol-prio-high");
    clearPolicy("pol-prio-exchanges");
    delete(queue);
    return seen;
  }

  /** An operator policy's lower max-length wins over the user policy's higher one. */
  Map<String, Object> operatorPolicyLowersMaxLength() throws Exception {
    String queue = "pol.op";
    declare(queue, Map.of());
    setPolicy("pol-op-user", "^pol\\.op$", "queues", 0, Map.of("max-length", 10));
    api.put(
        "/api/operator-policies/%2F/pol-op-cap",
        Map.of(
            "pattern",
            "^pol\\.op$",
            "apply-to",
            "queues",
            "priority",
            0,
            "definition",
            Map.of("max-length", 2)));
    awaitPolicy(queue, "pol-op-user");
    awaitOperatorPolicy(queue, "pol-op-cap");
    for (int i = 1; i <= 4; i++) {
      publishConfirmed(queue, "m" + i);
    }
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("messages", drain(queue, 2));
    seen.put("queue", queueFields(queue));
    api.delete("/api/operator-policies/%2F/pol-op-cap");
    clearPolicy("pol-op-user");
    delete(queue);
    return seen;
  }

  /**
   * A policy's lower max-length wins over the queue's own x-max-length; once the policy is deleted
   * the queue's own limit is back.
   */
  Map<String, Object> deletingAPolicyRestoresTheQueuesOwnArguments() throws Exception {
    String queue = "pol.restore";
    declare(queue, Map.of("x-max-length", 3));
    setPolicy("pol-restore", "^pol\\.restore$", "queues", 0, Map.of("max-length", 1));
    awaitPolicy(queue, "pol-restore");
    Map<String, Object> seen = new LinkedHashMap<>();
    for (int i = 1; i <= 4; i++) {
      publishConfirmed(queue, "a" + i);
    }
    seen.put("with the policy", drain(queue, 1));
    clearPolicy("pol-restore");
    awaitPolicy(queue, null);
    for (int i = 1; i <= 4; i++) {
      publishConfirmed(queue, "b" + i);
    }
    seen.put("without it", drain(queue, 3));
    seen.put("queue", queueFields(queue));
    delete(queue);
    return seen;
  }

  /**
   * A quorum queue's delivery-limit from a policy: the message is dead-lettered when it comes back
   * once more than the limit allows.
   */
  Map<String, Object> deliveryLimitPolicyOnAQuorumQueue() throws Exception {
    String queue = "pol.qq";
    String dead = "pol.qq.dead";
    declare(dead, Map.of());
    channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
    setPolicy(
        "pol-qq",
        "^pol\\.qq$",
        "queues",
        0,
        Map.of("delivery-limit", 1, "dead-letter-exchange", "", "dead-letter-routing-key", dead));
    awaitPolicy(queue, "pol-qq");
    publishConfirmed(queue, "poison");
    List<String> deliveries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GetResponse response = channel.basicGet(queue, false);
      if (response == null) {
        deliveries.add(null);
        break;
      }
      deliveries.add(text(response.getBody()));
      channel.basicNack(response.getEnvelope().getDeliveryTag(), false, true);
    }
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("deliveries", deliveries);
    seen.put("dead-lettered", drain(dead, 1));
    clearPolicy("pol-qq");
    delete(queue, dead);
    return seen;
  }

  /**
   * A policy with a key the queue's type does not support does not apply to that queue at all; the
   * next matching policy does (delivery-limit is for quorum queues, queue-mode for classic ones).
   */
  Map<String, Object> aPolicyWithKeysAQueueTypeLacksIsSkipped() throws Exception {
    String classic = "pol.kind.c";
    String quorum = "pol.kind.q";
    declare(classic, Map.of());
    channel.queueDeclare(quorum, true, false, false, Map.of("x-queue-type", "quorum"));
    setPolicy(
        "pol-kind-quorum",
        "^pol\\.kind\\.",
        "queues",
        5,
        Map.of("max-length", 1, "delivery-limit", 5));
    setPolicy(
        "pol-kind-classic",
        "^pol\\.kind\\.",
        "queues",
        4,
        Map.of("max-length", 2, "queue-mode", "lazy"));
    setPolicy("pol-kind-any", "^pol\\.kind\\.", "queues", 1, Map.of("max-length", 3));
    awaitPolicy(classic, "pol-kind-classic");
    awaitPolicy(quorum, "pol-kind-quorum");
    for (int i = 1; i <= 4; i++) {
      publishConfirmed(classic, "c" + i);
      publishConfirmed(quorum, "q" + i);
    }
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("classic", drain(classic, 2));
    seen.put("classic queue", queueFields(classic));
    seen.put("quorum", drain(quorum, 1));
    seen.put("quorum queue", queueFields(quorum));
    clearPolicy("pol-kind-quorum");
    clearPolicy("pol-kind-classic");
    clearPolicy("pol-kind-any");
    delete(classic, quorum);
    return seen;
  }

  /** An expires policy set on an idle queue deletes it once it has been unused that long. */
  Map<String, Object> anExpiresPolicyDeletesAnIdleQueue() throws Exception {
    String queue = "pol.exp";
    declare(queue, Map.of("x-expires", 600_000));
    setPolicy("pol-exp", "^pol\\.exp$", "queues", 0, Map.of("expires", 1500));
    String path = "/api/queues/%2F/" + ManagementClient.encode(queue);
    // not waiting for RabbitMQ's listing: its statistics (which carry the policy's name) are
    // emitted every 5 s, after the queue is gone
    Map<String, Object> seen = new LinkedHashMap<>();
    await(() -> api.get(path).status() == 404, queue + " is deleted");
    seen.put("status once idle", api.get(path).status());
    clearPolicy("pol-exp");
    return seen;
  }

  // --- the API side

  private void setPolicy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    ManagementClient.Response response =
        api.put(
            "/api/policies/%2F/" + name,
            Map.of(
                "pattern",
                pattern,
                "apply-to",
                applyTo,
                "priority",
                priority,
                "definition",
                definition));
    if (response.status() / 100 != 2) {
      throw new AssertionError("setting policy " + name + ": " + response);
    }
  }

  private void clearPolicy(String name) {
    api.delete("/api/policies/%2F/" + name);
  }

  /** The queue's policy fields as its listing shows them. */
  private Map<String, Object> queueFields(String queue) {
    JsonNode json = api.get("/api/queues/%2F/" + ManagementClient.encode(queue)).json();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("policy", textOrNull(json.get("policy")));
    fields.put("operator_policy", textOrNull(json.get("operator_policy")));
    fields.put(
        "effective_policy_definition", String.valueOf(json.get("effective_policy_definition")));
    return fields;
  }

  private void awaitPolicy(String queue, String policy) {
    awaitField("/api/queues/%2F/" + ManagementClient.encode(queue), "policy", policy);
  }

  private void awaitOperatorPolicy(String queue, String policy) {
    awaitField("/api/queues/%2F/" + ManagementClient.encode(queue), "operator_policy", policy);
  }

  private void awaitExchangePolicy(String exchange, String policy) {
    awaitField("/api/exchanges/%2F/" + ManagementClient.encode(exchange), "policy", policy);
  }

  private void awaitDefinition(String queue, String key) {
    String path = "/api/queues/%2F/" + ManagementClient.encode(queue);
    await(
        () -> {
          JsonNode definition = api.get(path).json().get("effective_policy_definition");
          return definition != null && definition.has(key);
        },
        path + " has " + key + " in effect");
  }

  private void awaitField(String path, String field, String expected) {
    await(
        () -> java.util.Objects.equals(textOrNull(api.get(path).json().get(field)), expected),
        path + " shows " + field + " " + expected);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
  }

  // --- the AMQP side

  private void declare(String queue, Map<String, Object> arguments) throws Exception {
    channel.queueDeclare(queue, false, false, false, arguments);
  }

  private void delete(String... queues) throws Exception {
    for (String queue : queues) {
      channel.queueDelete(queue);
    }
  }

  private void publish(String queue, String body) throws Exception {
    channel.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes on a channel in confirm mode: "ack" or "nack". */
  private String publishConfirmed(String queue, String body) throws Exception {
    try (Channel confirming = connection.createChannel()) {
      confirming.confirmSelect();
      confirming.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
      return confirming.waitForConfirms(TIMEOUT_MS) ? "ack" : "nack";
    }
  }

  /** Publishes with mandatory set: whether the message came back unroutable. */
  private boolean publishMandatory(String exchange, String body) throws Exception {
    try (Channel confirming = connection.createChannel()) {
      AtomicInteger returned = new AtomicInteger();
      confirming.addReturnListener(r -> returned.incrementAndGet());
      confirming.confirmSelect();
      confirming.basicPublish(
          exchange, "nowhere", true, null, body.getBytes(StandardCharsets.UTF_8));
      confirming.waitForConfirmsOrDie(TIMEOUT_MS); // a basic.return comes before its confirm
      return returned.get() > 0;
    }
  }

  private void rejectOne(String queue) throws Exception {
    GetResponse response = channel.basicGet(queue, false);
    if (response == null) {
      throw new AssertionError("nothing to reject in " + queue);
    }
    channel.basicReject(response.getEnvelope().getDeliveryTag(), false);
  }

  /** basic.get with auto-ack: the body, or null if the queue is empty. */
  private String get(String queue) throws Exception {
    GetResponse response = channel.basicGet(queue, true);
    return response == null ? null : text(response.getBody());
  }

  /**
   * Waits (bounded) until the queue holds {@code expected} messages, then takes them all: each
   * body, with its first x-death reason when it was dead-lettered.
   */
  private List<String> drain(String queue, int expected) throws Exception {
    awaitDepth(queue, expected);
    List<String> bodies = new ArrayList<>();
    for (GetResponse r = channel.basicGet(queue, true);
        r != null;
        r = channel.basicGet(queue, true)) {
      bodies.add(text(r.getBody()) + deathReason(r.getProps()));
    }
    return bodies;
  }

  private int awaitDepth(String queue, int expected) {
    await(
        () -> channel.queueDeclarePassive(queue).getMessageCount() == expected,
        queue + " holds " + expected + " messages");
    try {
      return channel.queueDeclarePassive(queue).getMessageCount();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String deathReason(AMQP.BasicProperties properties) {
    Map<String, Object> headers = properties.getHeaders();
    if (headers == null
        || !(headers.get("x-death") instanceof List<?> deaths)
        || deaths.isEmpty()) {
      return "";
    }
    Object reason = ((Map<?, ?>) deaths.get(0)).get("reason");
    return " (" + reason + ")";
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  // --- waiting

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    try {
      while (!condition.holds()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out waiting until " + what);
        }
        Thread.sleep(20); // polling another process's state: nothing to wait on instead
      }
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("while waiting until " + what, e);
    }
  }

  /** Lets a TTL run out: time itself is what the scenario waits for. */
  private static void awaitElapsed(long sinceNanos, long millis) throws InterruptedException {
    long remaining = sinceNanos + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime();
    if (remaining > 0) {
      TimeUnit.NANOSECONDS.sleep(remaining);
    }
  }
}
