package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.ReturnedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several publishers, consumers and acknowledgers at once, bounded in count and time: every message
 * must be acknowledged exactly once in each queue it was routed to.
 */
class ConcurrencySmokeTest extends EngineFixture {
  private static final int PUBLISHERS = 4;
  private static final int MESSAGES_PER_PUBLISHER = 2_500;
  private static final int CONSUMERS_PER_QUEUE = 3;
  private static final int TOTAL = PUBLISHERS * MESSAGES_PER_PUBLISHER;

  @Test
  void concurrentPublishConsumeAndAckLosesAndDuplicatesNothing() throws Exception {
    BrokerChannel setup = channel(new RecordingListener());
    String exchange = unique("fan");
    setup.declareExchange(new ExchangeDeclaration(exchange, "fanout", false, false, false, null));
    List<String> queues =
        List.of(declareQueue(setup, unique("q")), declareQueue(setup, unique("q")));
    for (String queue : queues) {
      setup.bindQueue(queue, exchange, "", Map.of());
    }

    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    AtomicInteger ackCount = new AtomicInteger();
    CountDownLatch allAcked = new CountDownLatch(TOTAL * queues.size());
    CountDownLatch stop = new CountDownLatch(1);
    List<RecordingListener> listeners = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 2 * CONSUMERS_PER_QUEUE);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      int consumerIndex = 0;
      for (String queue : queues) {
        for (int c = 0; c < CONSUMERS_PER_QUEUE; c++) {
          RecordingListener listener = new RecordingListener();
          listeners.add(listener);
          BrokerConnection consumerConnection = broker.connect("/", "guest", "consumer");
          BrokerChannel channel = consumerConnection.openChannel(listener);
          channel.qos(20, false);
          channel.consume(queue, "", false, false, null);
          int index = consumerIndex++;
          tasks.add(
              pool.submit(
                  () -> {
                    long requeued = 0;
                    while (stop.getCount() > 0) {
                      Delivery delivery = listener.deliveries.poll(50, TimeUnit.MILLISECONDS);
                      if (delivery == null) {
                        continue;
                      }
                      // Now and then hand a message back, to exercise requeue under load.
                      if (!delivery.redelivered() && (delivery.deliveryTag() + index) % 97 == 0) {
                        channel.nack(delivery.deliveryTag(), false, true);
                        requeued++;
                        continue;
                      }
                      channel.ack(delivery.deliveryTag(), false);
                      String key = queue + "/" + new String(delivery.body());
                      acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                      ackCount.incrementAndGet();
                      allAcked.countDown();
                    }
                    return requeued;
                  }));
        }
      }
      for (int p = 0; p < PUBLISHERS; p++) {
        int publisher = p;
        tasks.add(
            pool.submit(
                () -> {
                  BrokerChannel channel = channel(new RecordingListener());
                  for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
                    publish(channel, exchange, "", publisher + "-" + i);
                  }
                  return null;
                }));
      }
      assertTrue(allAcked.await(60, TimeUnit.SECONDS), "acked only " + ackCount.get());
    } finally {
      stop.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    for (Future<?> task : tasks) {
      task.get();
    }
    assertEquals(TOTAL * queues.size(), acked.size());
    assertTrue(acked.values().stream().allMatch(count -> count.get() == 1));
    assertEquals(TOTAL * queues.size(), ackCount.get());
    for (String queue : queues) {
      assertEquals(0, setup.checkQueue(queue).messageCount());
    }
    for (RecordingListener listener : listeners) {
      assertFalse(listener.overlapped.get(), "listener was called concurrently");
    }
  }

  @Test
  void noDeliveryReachesTheListenerAfterCancelReturns() throws Exception {
    BrokerChannel setup = channel(new RecordingListener());
    String queue = declareQueue(setup, unique("q"));
    AtomicInteger late = new AtomicInteger();
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Future<?> publisher =
          pool.submit(
              () -> {
                // Keeps a modest backlog flowing until the rounds are done (or the deadline).
                BrokerChannel channel = channel(new RecordingListener());
                while (stop.getCount() > 0 && System.nanoTime() < deadline) {
                  if (channel.checkQueue(queue).messageCount() > 10_000) {
                    Thread.onSpinWait();
                    continue;
                  }
                  for (int i = 0; i < 100; i++) {
                    publish(channel, "", queue, "m");
                  }
                }
                return null;
              });
      for (int round = 0; round < 200; round++) {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch firstDelivery = new CountDownLatch(1);
        ChannelListener listener =
            new ChannelListener() {
              @Override
              public void deliver(Delivery delivery) {
                if (cancelled.get()) {
                  late.incrementAndGet();
                }
                firstDelivery.countDown();
              }

              @Override
              public void returned(ReturnedMessage message) {}

              @Override
              public void confirmed(long seqNo, boolean multiple, boolean ack) {}

              @Override
              public void consumerCancelled(String consumerTag) {}
            };
        BrokerChannel channel = connection.openChannel(listener);
        String tag = channel.consume(queue, "", true, false, null);
        assertTrue(firstDelivery.await(5, TimeUnit.SECONDS));
        channel.cancel(tag);
        cancelled.set(true);
        channel.close();
      }
      stop.countDown();
      publisher.get(30, TimeUnit.SECONDS);
    } finally {
      stop.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(0, late.get(), "deliveries after cancel returned");
  }
}
