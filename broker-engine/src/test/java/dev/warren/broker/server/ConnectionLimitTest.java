package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RabbitMQ's connection_max: sockets beyond the limit are closed at once; freed slots reopen. */
class ConnectionLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void aSocketBeyondMaxConnectionsIsClosedAndAFreedSlotIsReusable() throws Exception {
    try (TestBroker broker =
        TestBroker.start(
            BrokerConfig.defaults()
                .withSecurity(SecurityConfig.defaults().withMaxConnections(2)))) {
      assumeTrue(broker.isWarren(), "configures Warren's limit");
      RawAmqpSocket first = RawAmqpSocket.connect(broker.port());
      RawAmqpSocket second = RawAmqpSocket.connect(broker.port());
      first.openWithChannel(0, 131072);
      second.openWithChannel(0, 131072);

      try (RawAmqpSocket third = RawAmqpSocket.connect(broker.port())) {
        assertTrue(third.closedWithin(WAIT), "the third socket is closed");
      }
      second.close();
      long deadline = System.nanoTime() + WAIT.toNanos();
      boolean accepted = false;
      while (!accepted && System.nanoTime() < deadline) {
        try (RawAmqpSocket again = RawAmqpSocket.connect(broker.port())) {
          again.send(RawAmqpSocket.PROTOCOL_HEADER);
          accepted = !again.closedWithin(Duration.ofMillis(200));
        }
      }
      assertTrue(accepted, "a slot freed by a closed connection is reusable");
      assertFalse(first.closedWithin(Duration.ofMillis(100)), "the first connection is untouched");
      first.close();
    }
  }
}
