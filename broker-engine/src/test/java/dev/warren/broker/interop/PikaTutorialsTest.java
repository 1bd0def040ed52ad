package dev.warren.broker.interop;

import static dev.warren.broker.interop.TutorialScenarios.received;
import static dev.warren.broker.interop.TutorialScripts.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.testsupport.TestBroker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The six RabbitMQ tutorials written with Python's pika, each script its own process. */
class PikaTutorialsTest {
  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

  /** Per test rather than per class, so that a skip shows up in the report with its reason. */
  @BeforeEach
  void requireClient() {
    TutorialClient.PIKA.requireInstalled();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static TutorialScripts scripts() {
    return new TutorialScripts(TutorialClient.PIKA, broker.port());
  }

  @Test
  void helloWorldReachesTheReceiver() {
    try (TutorialScripts scripts = scripts()) {
      ScriptProcess receiver = scripts.startReady("receive", "--count=1");
      assertEquals(List.of("SENT Hello World!"), scripts.run("send"));
      assertEquals(List.of("RECEIVED Hello World!"), received(receiver.awaitSuccess(WAIT)));
    }
  }

  @Test
  void killedWorkersUnackedTaskIsRedeliveredToTheOtherWorker() {
    try (TutorialScripts scripts = scripts()) {
      TutorialScenarios.killedWorkersTaskIsRedeliveredToTheOtherWorker(scripts);
    }
  }

  @Test
  void fanoutLogsReachEverySubscriber() {
    try (TutorialScripts scripts = scripts()) {
      TutorialScenarios.fanoutReachesEverySubscriberInOrder(scripts);
    }
  }

  @Test
  void directExchangeRoutesBySeverity() {
    try (TutorialScripts scripts = scripts()) {
      ScriptProcess errors = scripts.startReady("receive_logs_direct", "error", "--count=2");
      ScriptProcess all =
          scripts.startReady("receive_logs_direct", "info", "warning", "error", "--count=4");
      // Nobody binds "debug"; the last message is one both want, so each receiver stops only
      // after anything wrongly routed before it would already have arrived.
      scripts.run("emit_log_direct", "debug", "d1");
      scripts.run("emit_log_direct", "info", "i1");
      scripts.run("emit_log_direct", "error", "e1");
      scripts.run("emit_log_direct", "warning", "w1");
      scripts.run("emit_log_direct", "error", "e2");

      assertEquals(
          List.of("RECEIVED error e1", "RECEIVED error e2"), received(errors.awaitSuccess(WAIT)));
      assertEquals(
          List.of(
              "RECEIVED info i1", "RECEIVED error e1", "RECEIVED warning w1", "RECEIVED error e2"),
          received(all.awaitSuccess(WAIT)));
    }
  }

  @Test
  void topicExchangeMatchesStarAndHashPatterns() {
    try (TutorialScripts scripts = scripts()) {
      TutorialScenarios.topicPatternsSelectTheLogs(scripts);
    }
  }

  @Test
  void rpcClientsGetTheirOwnRepliesByCorrelationId() {
    try (TutorialScripts scripts = scripts()) {
      TutorialScenarios.rpcCallersGetTheirOwnReplies(scripts);
    }
  }
}
