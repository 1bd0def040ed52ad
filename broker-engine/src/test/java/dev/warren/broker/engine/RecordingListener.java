package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ReturnedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel listener for tests: records every event and hands deliveries to the test thread through
 * a queue (it never calls back into the broker, as the contract asks).
 */
final class RecordingListener implements ChannelListener {
  record Confirm(long seqNo, boolean multiple, boolean ack) {}

  final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  final List<Object> events = new CopyOnWriteArrayList<>();
  final BlockingQueue<String> cancellations = new LinkedBlockingQueue<>();
  final AtomicBoolean ready = new AtomicBoolean(true);
  private final AtomicInteger inside = new AtomicInteger();
  final AtomicBoolean overlapped = new AtomicBoolean();

  @Override
  public void deliver(Delivery delivery) {
    enter();
    events.add(delivery);
    deliveries.add(delivery);
    leave();
  }

  @Override
  public void returned(ReturnedMessage message) {
    enter();
    events.add(message);
    leave();
  }

  @Override
  public void confirmed(long seqNo, boolean multiple, boolean ack) {
    enter();
    events.add(new Confirm(seqNo, multiple, ack));
    leave();
  }

  @Override
  public void consumerCancelled(String consumerTag) {
    enter();
    events.add("cancelled " + consumerTag);
    cancellations.add(consumerTag);
    leave();
  }

  @Override
  public boolean ready() {
    return ready.get();
  }

  private void enter() {
    if (inside.incrementAndGet() > 1) {
      overlapped.set(true);
    }
  }

  private void leave() {
    inside.decrementAndGet();
  }

  Delivery next() throws InterruptedException {
    Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
    assertNotNull(delivery, "no delivery within 5 s");
    return delivery;
  }

  /** Waits up to the timeout for one more delivery; null if none came. */
  Delivery maybeNext(long millis) throws InterruptedException {
    return deliveries.poll(millis, TimeUnit.MILLISECONDS);
  }

  List<String> bodies(int count) throws InterruptedException {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      bodies.add(new String(next().body()));
    }
    return bodies;
  }

  List<Confirm> confirms() {
    return events.stream().filter(Confirm.class::isInstance).map(Confirm.class::cast).toList();
  }
}
