package dev.warren.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.testsupport.TestBroker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RabbitMQ extensions as pika applications use them: a TTL+DLX retry queue, direct reply-to. */
class PikaExtensionsTest {
  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

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

  @Test
  void aRetryQueueBuiltFromTtlAndDeadLetteringCountsEveryRetry() {
    try (TutorialScripts scripts = new TutorialScripts(TutorialClient.PIKA, broker.port())) {
      assertEquals(
          List.of(
              "RETRY job attempt=1 x-death-count=0",
              "RETRY job attempt=2 x-death-count=1",
              "DONE job attempt=3 x-death-count=2"),
          scripts.run("retry_queue", "--attempts=3"));
    }
  }

  @Test
  void anRpcCallOverDirectReplyToGetsItsAnswer() {
    try (TutorialScripts scripts = new TutorialScripts(TutorialClient.PIKA, broker.port())) {
      assertEquals(
          List.of("REPLY_TO_REWRITTEN True", "REPLY c1 42"), scripts.run("direct_reply_rpc"));
    }
  }
}
