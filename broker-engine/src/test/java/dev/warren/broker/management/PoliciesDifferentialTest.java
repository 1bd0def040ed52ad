package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.RabbitMqNode;
import dev.warren.broker.testsupport.TestBroker;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy sessions of {@link PolicyScenarios} against a RabbitMQ 3.10.8 node and against Warren:
 * what the AMQP client saw (bodies, confirms, returns, x-death reasons) and the queues' {@code
 * policy}, {@code operator_policy} and {@code effective_policy_definition} must be the same.
 */
class PoliciesDifferentialTest {
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

  @FunctionalInterface
  private interface Scenario {
    Map<String, Object> run(PolicyScenarios on) throws Exception;
  }

  private static void sameOnBoth(Scenario scenario) throws Exception {
    Map<String, Object> reference;
    try (PolicyScenarios onRabbit =
        new PolicyScenarios(
            rabbit.host(),
            rabbit.amqpPort(),
            new ManagementClient(rabbit.host(), rabbit.managementPort(), "guest", "guest"))) {
      reference = scenario.run(onRabbit);
    }
    Map<String, Object> subject;
    try (PolicyScenarios onWarren =
        new PolicyScenarios(
            TestBroker.HOST,
            warren.port(),
            new ManagementClient(TestBroker.HOST, warren.managementPort(), "guest", "guest"))) {
      subject = scenario.run(onWarren);
    }
    assertEquals(reference, subject, "RabbitMQ saw " + reference + "\nWarren saw " + subject);
  }

  @Test
  void aMessageTtlPolicyOnAnExistingQueueActsAlike() throws Exception {
    sameOnBoth(PolicyScenarios::messageTtlOnAnExistingQueue);
  }

  @Test
  void aMaxLengthPolicyTrimsDropsAndRejectsAlike() throws Exception {
    sameOnBoth(PolicyScenarios::maxLengthTrimsThenDropsHeadThenRejects);
  }

  @Test
  void aDeadLetterPolicyRoutesAlike() throws Exception {
    sameOnBoth(PolicyScenarios::deadLetterPolicyRoutesRejectedMessages);
  }

  @Test
  void anAlternateExchangePolicyActsAlike() throws Exception {
    sameOnBoth(PolicyScenarios::alternateExchangePolicy);
  }

  @Test
  void priorityAndApplyToChooseAlike() throws Exception {
    sameOnBoth(PolicyScenarios::priorityAndApplyTo);
  }

  @Test
  void anOperatorPolicyCapsAlike() throws Exception {
    sameOnBoth(PolicyScenarios::operatorPolicyLowersMaxLength);
  }

  @Test
  void deletingAPolicyRestoresTheArgumentsAlike() throws Exception {
    sameOnBoth(PolicyScenarios::deletingAPolicyRestoresTheQueuesOwnArguments);
  }

  @Test
  void aDeliveryLimitPolicyOnAQuorumQueueActsAlike() throws Exception {
    sameOnBoth(PolicyScenarios::deliveryLimitPolicyOnAQuorumQueue);
  }

  @Test
  void aPolicyWithKeysAQueueTypeLacksIsSkippedAlike() throws Exception {
    sameOnBoth(PolicyScenarios::aPolicyWithKeysAQueueTypeLacksIsSkipped);
  }

  @Test
  void anExpiresPolicyDeletesAnIdleQueueAlike() throws Exception {
    sameOnBoth(PolicyScenarios::anExpiresPolicyDeletesAnIdleQueue);
  }
}
