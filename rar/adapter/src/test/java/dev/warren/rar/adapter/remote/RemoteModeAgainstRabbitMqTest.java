package dev.warren.rar.adapter.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.rar.adapter.WarrenResourceAdapter;
import dev.warren.rar.adapter.testsupport.ExternalBroker;
import dev.warren.rar.adapter.testsupport.ExternalRabbitMq;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Remote mode against RabbitMQ itself (Debian's 3.10.8), started by the test. */
class RemoteModeAgainstRabbitMqTest extends RemoteModeContract {
  private static final long CONFIRM_TIMEOUT_MILLIS = 2_000;
  private static ExternalRabbitMq rabbitMq;

  @BeforeAll
  static void startRabbitMq() {
    rabbitMq = ExternalRabbitMq.start();
  }

  @AfterAll
  static void stopRabbitMq() {
    if (rabbitMq != null) {
      rabbitMq.close();
    }
  }

  @Override
  ExternalBroker broker() {
    return rabbitMq;
  }

  @Override
  void configure(WarrenResourceAdapter adapter) {
    adapter.setConfirmTimeout(CONFIRM_TIMEOUT_MILLIS);
  }

  @Test
  void commitFailsWhenTheBrokerDoesNotConfirmInTime() throws Exception {
    declare(queue, null);
    // a memory alarm: RabbitMQ stops reading from publishing connections, so no confirm comes
    rabbitMq.rabbitmqctl("set_vm_memory_high_watermark", "0");
    long started = System.nanoTime();
    try {
      XAException timedOut =
          assertThrows(
              XAException.class,
              () ->
                  inTransaction(
                      new TestXid(10), () -> publishThroughTheFactory(queue, "blocked"), true));
      assertEquals(XAException.XA_RBROLLBACK, timedOut.errorCode);
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(waitedMillis >= CONFIRM_TIMEOUT_MILLIS, "waited " + waitedMillis + " ms");
    } finally {
      rabbitMq.rabbitmqctl("set_vm_memory_high_watermark", "0.4");
    }
  }
}
