package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConfirmListener;
import dev.warren.broker.it.ClientTestBase;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** x-max-length, x-max-length-bytes and the three x-overflow modes. */
class LengthLimitTest extends ClientTestBase {

  @Test
  void dropHeadKeepsTheNewestMessages() throws Exception {
    String queue = unique("drop-head");
    channel.queueDeclare(queue, false, false, true, Map.of("x-max-length", 2));
    for (int i = 1; i <= 5; i++) {
      publish("", queue, "m" + i);
    }
    awaitMessageCount(queue, 2);
    assertEquals("m4", awaitBody(queue));
    assertEquals("m5", awaitBody(queue));
  }

  @Test
  void maxLengthBytesCountsBodyBytes() throws Exception {
    String queue = unique("max-bytes");
    channel.queueDeclare(queue, false, false, true, Map.of("x-max-length-bytes", 10));
    publish("", queue, "12345");
    publish("", queue, "67890");
    publish("", queue, "abcde");
    awaitMessageCount(queue, 2);
    assertEquals("67890", awaitBody(queue));
  }

  @Test
  void rejectPublishNacksTheOverflowingPublishWithConfirms() throws Exception {
    String queue = unique("reject-publish");
    channel.queueDeclare(
        queue, false, false, true, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
    channel.confirmSelect();
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    Set<Long> nacked = ConcurrentHashMap.newKeySet();
    CountDownLatch settled = new CountDownLatch(2);
    channel.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            acked.add(deliveryTag);
            settled.countDown();
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            nacked.add(deliveryTag);
            settled.countDown();
          }
        });
    publish("", queue, "fits");
    publish("", queue, "refused");
    assertTrue(settled.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(Set.of(1L), acked);
    assertEquals(Set.of(2L), nacked);
    assertFalse(channel.waitForConfirms(TIMEOUT.toMillis()));
    assertEquals("fits", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void rejectPublishDlxDeadLettersTheRefusedMessage() throws Exception {
    String dead = namedQueue("refused");
    String queue = unique("reject-publish-dlx");
    channel.queueDeclare(
        queue,
        false,
        false,
        true,
        Map.of(
            "x-max-length",
            1,
            "x-overflow",
            "reject-publish-dlx",
            "x-dead-letter-exchange",
            "",
            "x-dead-letter-routing-key",
            dead));
    publish("", queue, "kept");
    publish("", queue, "refused");
    assertEquals("refused", awaitBody(dead));
    assertEquals("kept", awaitBody(queue));
  }
}
