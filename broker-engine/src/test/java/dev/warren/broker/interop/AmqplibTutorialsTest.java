package dev.warren.broker.interop;

import dev.warren.broker.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RabbitMQ tutorials written with Node's amqplib, each script its own process. */
class AmqplibTutorialsTest {
  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

  /** Per test rather than per class, so that a skip shows up in the report with its reason. */
  @BeforeEach
  void requireClient() {
    TutorialClient.AMQPLIB.requireInstalled();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void killedWorkersUnackedTaskIsRedeliveredToTheOtherWorker() {
    try (TutorialScripts scripts = new TutorialScripts(TutorialClient.AMQPLIB, broker.port())) {
      TutorialScenarios.killedWorkersTaskIsRedeliveredToTheOtherWorker(scripts);
    }
  }

  @Test
  void fanoutLogsReachEverySubscriber() {
    try (TutorialScripts scripts = new TutorialScripts(TutorialClient.AMQPLIB, broker.port())) {
      TutorialScenarios.fanoutReachesEverySubscriberInOrder(scripts);
    }
  }

  @Test
  void topicExchangeMatchesStarAndHashPatterns() {
    try (TutorialScripts scripts = new TutorialScripts(TutorialClient.AMQPLIB, broker.port())) {
      TutorialScenarios.topicPatternsSelectTheLogs(scripts);
    }
  }

  @Test
  void rpcClientsGetTheirOwnRepliesByCorrelationId() {
    try (TutorialScripts scripts = new TutorialScripts(TutorialClient.AMQPLIB, broker.port())) {
      TutorialScenarios.rpcCallersGetTheirOwnReplies(scripts);
    }
  }
}
