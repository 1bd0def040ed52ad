package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.store.FsyncPolicy;
import dev.warren.broker.store.StoreConfig;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {

  @Test
  void storeAndAlarmOptionsReachTheConfiguration() {
    BrokerConfig config =
        Main.parse(
            new String[] {
              "--fsync", "interval",
              "--segment-size", "1048576",
              "--queue-memory-limit", "100",
              "--memory-high-watermark", "0.4",
              "--disk-free-limit", "1000000"
            },
            BrokerConfig.defaults());
    StoreConfig store = config.store();
    assertEquals(FsyncPolicy.INTERVAL, store.fsync());
    assertEquals(1_048_576, store.segmentBytes());
    assertEquals(100, store.queueMemoryMessages());
    assertEquals(0.4, store.memoryHighWatermark());
    assertEquals(1_000_000, store.diskFreeLimitBytes());
  }

  @Test
  void theDefaultsAreGroupCommitAndRabbitMqLikeWatermarks() {
    StoreConfig store = BrokerConfig.defaults().store();
    assertEquals(FsyncPolicy.ALWAYS, store.fsync());
    assertEquals(0.6, store.memoryHighWatermark());
  }

  @Test
  void badValuesAreRefusedWithTheOptionNamed() {
    IllegalArgumentException fsync =
        assertThrows(
            IllegalArgumentException.class,
            () -> Main.parse(new String[] {"--fsync", "sometimes"}, BrokerConfig.defaults()));
    assertTrue(fsync.getMessage().startsWith("--fsync"), fsync.getMessage());
    IllegalArgumentException watermark =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Main.parse(
                    new String[] {"--memory-high-watermark", "1.5"}, BrokerConfig.defaults()));
    assertTrue(watermark.getMessage().contains("fraction"), watermark.getMessage());
  }
}
