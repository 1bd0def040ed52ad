package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** confirm.select and the basic.ack stream that follows publishes. */
class PublisherConfirmsTest extends ClientTestBase {

  @Test
  void waitForConfirmsSucceedsAfterPublishes() throws Exception {
    String queue = serverNamedQueue();
    channel.confirmSelect();

    for (int i = 0; i < 100; i++) {
      publish("", queue, "confirmed " + i);
    }

    channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
    awaitMessageCount(queue, 100);
  }

  @Test
  void sequenceNumbersStartAtOneAndEveryPublishIsAcked() throws Exception {
    String queue = serverNamedQueue();
    channel.confirmSelect();
    NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
    CountDownLatch allAcked = new CountDownLatch(1);
    channel.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            if (multiple) {
              outstanding.headSet(deliveryTag, true).clear();
            } else {
              outstanding.remove(deliveryTag);
            }
            if (outstanding.isEmpty()) {
              allAcked.countDown();
            }
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            throw new AssertionError("nack for " + deliveryTag);
          }
        });

    assertEquals(1, channel.getNextPublishSeqNo());
    for (long i = 1; i <= 50; i++) {
      outstanding.add(i);
    }
    for (int i = 0; i < 50; i++) {
      publish("", queue, "m" + i);
    }

    assertEquals(51, channel.getNextPublishSeqNo());
    assertTrue(
        allAcked.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "unacked: " + outstanding);
  }

  @Test
  void acksNeverGoBackwards() throws Exception {
    String queue = serverNamedQueue();
    channel.confirmSelect();
    List<Long> ackedUpTo = new CopyOnWriteArrayList<>();
    CountDownLatch lastAcked = new CountDownLatch(1);
    channel.addConfirmListener(
        (tag, multiple) -> {
          ackedUpTo.add(tag);
          if (tag == 200) {
            lastAcked.countDown();
          }
        },
        (tag, multiple) -> {
          throw new AssertionError("nack for " + tag);
        });

    for (int i = 0; i < 200; i++) {
      publish("", queue, "m" + i);
    }

    assertTrue(lastAcked.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    for (int i = 1; i < ackedUpTo.size(); i++) {
      assertTrue(ackedUpTo.get(i) > ackedUpTo.get(i - 1), () -> "acks out of order " + ackedUpTo);
    }
  }

  @Test
  void unroutableMessageIsStillConfirmed() throws Exception {
    channel.confirmSelect();

    channel.basicPublish("amq.direct", unique("unbound"), null, bytes("dropped but confirmed"));

    channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
  }

  @Test
  void mandatoryReturnArrivesBeforeItsConfirm() throws Exception {
    channel.confirmSelect();
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch acked = new CountDownLatch(1);
    channel.addReturnListener(returned -> events.add("return"));
    channel.addConfirmListener(
        (tag, multiple) -> {
          events.add("ack");
          acked.countDown();
        },
        (tag, multiple) -> events.add("nack"));

    channel.basicPublish("amq.direct", unique("unbound"), true, null, bytes("returned"));

    assertTrue(acked.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(List.of("return", "ack"), events);
  }

  @Test
  void confirmSelectTwiceIsAllowed() throws Exception {
    channel.confirmSelect();
    channel.confirmSelect();
    publish("", serverNamedQueue(), "x");

    channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
  }

  @Test
  void txSelectAfterConfirmSelectClosesChannelWith406() throws IOException {
    channel.confirmSelect();

    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.txSelect());

    assertReply(close, 406, "PRECONDITION_FAILED - cannot switch from confirm to tx mode");
  }

  @Test
  void confirmsOnDifferentChannelsAreIndependent() throws Exception {
    String queue = serverNamedQueue();
    var other = connection.createChannel();
    channel.confirmSelect();
    other.confirmSelect();

    publish("", queue, "a");
    publish("", queue, "b");
    other.basicPublish("", queue, null, bytes("c"));

    assertEquals(3, channel.getNextPublishSeqNo());
    assertEquals(2, other.getNextPublishSeqNo());
    channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
    other.waitForConfirmsOrDie(TIMEOUT.toMillis());
  }
}
