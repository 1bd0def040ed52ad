package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.ManagementConfig;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies set through the management API change how Warren's existing queues and exchanges behave,
 * as a real AMQP client sees it ({@link PoliciesDifferentialTest} runs the same sessions against
 * RabbitMQ).
 */
class PoliciesTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Map<String, Object> run(Scenario scenario) throws Exception {
    try (PolicyScenarios on =
        new PolicyScenarios(
            TestBroker.HOST,
            broker.port(),
            new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest"))) {
      return scenario.run(on);
    }
  }

  @FunctionalInterface
  private interface Scenario {
    Map<String, Object> run(PolicyScenarios on) throws Exception;
  }

  private static Map<String, Object> queue(
      String policy, String operatorPolicy, String definition) {
    java.util.LinkedHashMap<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("policy", policy);
    fields.put("operator_policy", operatorPolicy);
    fields.put("effective_policy_definition", definition);
    return fields;
  }

  @Test
  void aTtlPolicyExpiresMessagesPublishedToAnExistingQueueAndDeadLettersThem() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::messageTtlOnAnExistingQueue);
    assertEquals("old", seen.get("first get"), "the message from before the policy has no TTL");
    assertEquals(null, seen.get("second get"), "the one published after it expired");
    assertEquals(List.of("new-1 (expired)", "new-2 (expired)"), seen.get("dead-lettered"));
    assertEquals(
        queue(
            "pol-ttl",
            null,
            "{\"dead-letter-exchange\":\"\",\"dead-letter-routing-key\":\"pol.ttl.dead\","
                + "\"message-ttl\":300}"),
        seen.get("queue"));
  }

  @Test
  void aMaxLengthPolicyTrimsTheQueueThenDropsHeadThenRejectsPublishesWithANack() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::maxLengthTrimsThenDropsHeadThenRejects);
    assertEquals(2, seen.get("depth after the policy"));
    assertEquals("ack", seen.get("confirm of m6"));
    assertEquals("nack", seen.get("confirm of m7"));
    assertEquals(List.of("m5", "m6"), seen.get("messages"));
  }

  @Test
  void aDeadLetterPolicyRoutesRejectedMessagesUnlessTheQueueNamesItsOwn() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::deadLetterPolicyRoutesRejectedMessages);
    assertEquals(List.of("from-1 (rejected)"), seen.get("policy's target"));
    assertEquals(List.of("from-2 (rejected)"), seen.get("own target"));
  }

  @Test
  void anAlternateExchangePolicyCatchesUnroutableMessagesUntilItIsDeleted() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::alternateExchangePolicy);
    assertEquals(false, seen.get("returned with the policy"));
    assertEquals(List.of("one"), seen.get("caught"));
    assertEquals(true, seen.get("returned without it"));
  }

  @Test
  void theHigherPriorityPolicyWinsAndAnExchangesOnlyPolicyIsIgnoredForQueues() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::priorityAndApplyTo);
    assertEquals(List.of("m3", "m4", "m5"), seen.get("messages"));
    assertEquals(queue("pol-prio-high", null, "{\"max-length\":3}"), seen.get("queue"));
  }

  @Test
  void anOperatorPolicysLowerMaxLengthWinsOverTheUserPolicy() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::operatorPolicyLowersMaxLength);
    assertEquals(List.of("m3", "m4"), seen.get("messages"));
    assertEquals(queue("pol-op-user", "pol-op-cap", "{\"max-length\":2}"), seen.get("queue"));
  }

  @Test
  void deletingAPolicyRestoresTheQueuesOwnMaxLength() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::deletingAPolicyRestoresTheQueuesOwnArguments);
    assertEquals(List.of("a4"), seen.get("with the policy"));
    assertEquals(List.of("b2", "b3", "b4"), seen.get("without it"));
    assertEquals(queue(null, null, "{}"), seen.get("queue"));
  }

  @Test
  void aDeliveryLimitPolicyDeadLettersAQuorumQueuesPoisonMessage() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::deliveryLimitPolicyOnAQuorumQueue);
    assertEquals(List.of("poison", "poison"), ((List<?>) seen.get("deliveries")).subList(0, 2));
    assertEquals(List.of("poison (delivery_limit)"), seen.get("dead-lettered"));
  }

  @Test
  void aPolicyWithAKeyTheQueuesTypeLacksGivesWayToTheNextMatchingPolicy() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::aPolicyWithKeysAQueueTypeLacksIsSkipped);
    assertEquals(List.of("c3", "c4"), seen.get("classic"));
    assertEquals(
        queue("pol-kind-classic", null, "{\"max-length\":2,\"queue-mode\":\"lazy\"}"),
        seen.get("classic queue"));
    assertEquals(List.of("q4"), seen.get("quorum"));
    assertEquals(
        queue("pol-kind-quorum", null, "{\"delivery-limit\":5,\"max-length\":1}"),
        seen.get("quorum queue"));
  }

  @Test
  void anExpiresPolicyLowerThanTheQueuesOwnDeletesItOnceIdle() throws Exception {
    Map<String, Object> seen = run(PolicyScenarios::anExpiresPolicyDeletesAnIdleQueue);
    assertEquals(404, seen.get("status once idle"));
  }

  @Test
  void maxPriorityAndSingleActiveConsumerAreNotPolicyKeysAsInRabbitMq() {
    ManagementClient api =
        new ManagementClient(TestBroker.HOST, broker.managementPort(), "guest", "guest");
    for (String key : List.of("max-priority", "single-active-consumer")) {
      ManagementClient.Response response =
          api.put(
              "/api/policies/%2F/not-a-key",
              Map.of(
                  "pattern",
                  ".*",
                  "apply-to",
                  "queues",
                  "priority",
                  0,
                  "definition",
                  Map.of(key, key.equals("max-priority") ? 10 : true)));
      assertEquals(400, response.status(), response.toString());
      String reason = response.json().get("reason").asText();
      assertEquals(true, reason.contains("are not recognised policy settings"), reason);
    }
    assertEquals(404, api.get("/api/policies/%2F/not-a-key").status());
  }

  @Test
  void aPolicyStillAppliesAfterARestart(@TempDir Path dataDir) throws Exception {
    BrokerConfig config =
        BrokerConfig.defaults()
            .withBindAddress(TestBroker.HOST)
            .withPort(0)
            .withDataDir(dataDir)
            .withManagement(new ManagementConfig(0, TestBroker.HOST, ManagementConfig.OFF));
    try (BrokerEngine first = BrokerEngine.start(config)) {
      ManagementClient api =
          new ManagementClient(TestBroker.HOST, first.managementPort(), "guest", "guest");
      api.put(
          "/api/policies/%2F/keep-one",
          Map.of(
              "pattern",
              "^kept$",
              "apply-to",
              "queues",
              "priority",
              0,
              "definition",
              Map.of("max-length", 1)));
      try (Connection connection = connect(first.amqpPort())) {
        connection.createChannel().queueDeclare("kept", true, false, false, null);
      }
    }
    try (BrokerEngine second = BrokerEngine.start(config);
        Connection connection = connect(second.amqpPort())) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      for (int i = 1; i <= 3; i++) {
        channel.basicPublish("", "kept", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(10_000);
      assertEquals(1, channel.queueDeclarePassive("kept").getMessageCount());
      assertEquals(
          "m3", new String(channel.basicGet("kept", true).getBody(), StandardCharsets.UTF_8));
    }
  }

  private static Connection connect(int port) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(port);
    return factory.newConnection();
  }
}
