package dev.warren.rar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmqpActivationSpecTest {

  private static AmqpActivationSpec spec(String queue) {
    AmqpActivationSpec spec = new AmqpActivationSpec();
    spec.setQueue(queue);
    return spec;
  }

  @Test
  void queueIsRequired() {
    InvalidPropertyException e =
        assertThrows(InvalidPropertyException.class, () -> spec(" ").validate());
    assertTrue(e.getMessage().contains("queue"), e.getMessage());
  }

  @Test
  void defaultsGiveADurableQueueWithoutExchangeAndAParkingQueue() throws Exception {
    AmqpActivationSpec spec = spec("tasks");
    spec.validate();
    ActivationConfig config = spec.toConfig();
    assertEquals("tasks", config.queue());
    assertEquals(null, config.exchange());
    assertTrue(config.durable());
    assertEquals(10, config.prefetch());
    assertEquals(1, config.maxConcurrency());
    assertEquals(5, config.maxDeliveries());
    assertEquals(false, config.hasDeadLetterExchange());
  }

  @Test
  void routingKeysAreSplitAtCommasAndTrimmed() throws Exception {
    AmqpActivationSpec spec = spec("severity");
    spec.setExchange("direct_logs");
    spec.setRoutingKeys("error, warning ,info");
    spec.validate();
    assertEquals(List.of("error", "warning", "info"), spec.toConfig().routingKeys());
  }

  @Test
  void queueArgumentsBecomeLongsWhenNumeric() throws Exception {
    AmqpActivationSpec spec = spec("limited");
    spec.setQueueArguments("x-max-length=100, x-dead-letter-exchange=dlx");
    spec.validate();
    ActivationConfig config = spec.toConfig();
    assertEquals(
        Map.of("x-max-length", 100L, "x-dead-letter-exchange", "dlx"), config.queueArguments());
    assertTrue(config.hasDeadLetterExchange());
  }

  @Test
  void unknownExchangeTypeIsRejected() {
    AmqpActivationSpec spec = spec("q");
    spec.setExchange("x");
    spec.setExchangeType("fan-out");
    assertThrows(InvalidPropertyException.class, spec::validate);
  }

  @Test
  void routingKeysWithoutExchangeAreRejected() {
    AmqpActivationSpec spec = spec("q");
    spec.setRoutingKeys("a");
    assertThrows(InvalidPropertyException.class, spec::validate);
  }

  @Test
  void prefetchConcurrencyAndDeliveriesMustBePositive() {
    AmqpActivationSpec prefetch = spec("q");
    prefetch.setPrefetch(0);
    assertThrows(InvalidPropertyException.class, prefetch::validate);
    AmqpActivationSpec concurrency = spec("q");
    concurrency.setMaxConcurrency(0);
    assertThrows(InvalidPropertyException.class, concurrency::validate);
    AmqpActivationSpec deliveries = spec("q");
    deliveries.setMaxDeliveries(0);
    assertThrows(InvalidPropertyException.class, deliveries::validate);
  }

  @Test
  void malformedQueueArgumentsAreRejected() {
    AmqpActivationSpec spec = spec("q");
    spec.setQueueArguments("x-max-length");
    assertThrows(InvalidPropertyException.class, spec::validate);
  }
}
