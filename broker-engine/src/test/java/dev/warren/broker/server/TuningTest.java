package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ConnectionMethod;
import dev.warren.broker.protocol.ReplyCode;
import org.junit.jupiter.api.Test;

class TuningTest {
  private final BrokerConfig config = BrokerConfig.defaults(); // 2047 channels, 131072 octets

  @Test
  void lowerClientValuesWinAndHeartbeatIsTheClients() {
    Tuning tuning = Tuning.negotiate(config, new ConnectionMethod.TuneOk(10, 8192, 5));

    assertEquals(new Tuning(10, 8192, 5), tuning);
  }

  @Test
  void zeroMeansTheServersLimit() {
    Tuning tuning = Tuning.negotiate(config, new ConnectionMethod.TuneOk(0, 0, 0));

    assertEquals(new Tuning(2047, 131072, 0), tuning);
  }

  @Test
  void frameMaxBelowTheSpecMinimumIsNotAllowed() {
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> Tuning.negotiate(config, new ConnectionMethod.TuneOk(2047, 1024, 0)));

    assertEquals(ReplyCode.NOT_ALLOWED, e.replyCode());
    assertEquals(
        "negotiated frame_max = 1024 is lower than the minimum allowed value (4096)",
        e.getMessage());
  }

  @Test
  void valuesAboveTheServersAreNotAllowed() {
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> Tuning.negotiate(config, new ConnectionMethod.TuneOk(4000, 131072, 0)));

    assertEquals(
        "negotiated channel_max = 4000 is higher than the maximum allowed value (2047)",
        e.getMessage());
  }
}
