package dev.warren.broker.engine.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link ResourceAlarms#awaitClear}, the wait of in-VM publishers, over alarms that the test raises
 * and clears itself (the broker's monitor cannot be made to clear a real alarm on cue).
 */
class ResourceAlarmsTest {

  /** Alarms switched by the test, notifying subscribers as the broker's monitor does. */
  private static final class SwitchedAlarms implements ResourceAlarms {
    private volatile String reason;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    void set(String value) {
      reason = value;
      listeners.forEach(Runnable::run);
    }

    @Override
    public String blockReason() {
      return reason;
    }

    @Override
    public AutoCloseable subscribe(Runnable listener) {
      listeners.add(listener);
      return () -> listeners.remove(listener);
    }
  }

  @Test
  void withoutAnAlarmItReturnsAtOnce() throws Exception {
    assertTrue(ResourceAlarms.NONE.awaitClear(Duration.ZERO));
  }

  @Test
  void itWaitsUntilTheAlarmClearsAndUnsubscribes() throws Exception {
    SwitchedAlarms alarms = new SwitchedAlarms();
    alarms.set("low on memory");
    CountDownLatch returned = new CountDownLatch(1);
    AtomicBoolean cleared = new AtomicBoolean();
    Thread publisher =
        new Thread(
            () -> {
              try {
                cleared.set(alarms.awaitClear(Duration.ofSeconds(30)));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              returned.countDown();
            });
    publisher.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (alarms.listeners.isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "never subscribed");
      Thread.onSpinWait();
    }
    assertFalse(returned.await(100, TimeUnit.MILLISECONDS), "returned while the alarm was raised");

    alarms.set(null);

    assertTrue(returned.await(10, TimeUnit.SECONDS));
    assertTrue(cleared.get());
    assertTrue(alarms.listeners.isEmpty(), "the subscription was closed");
  }

  @Test
  void itGivesUpWhenTheTimeoutRunsOut() throws Exception {
    SwitchedAlarms alarms = new SwitchedAlarms();
    alarms.set("low on disk");
    assertFalse(alarms.awaitClear(Duration.ofMillis(50)));
    assertTrue(alarms.listeners.isEmpty());
  }
}
