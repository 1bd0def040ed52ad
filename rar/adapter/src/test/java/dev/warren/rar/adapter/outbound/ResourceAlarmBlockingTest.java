package dev.warren.rar.adapter.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.AmqpException;
import dev.warren.rar.api.MessageProperties;
import jakarta.resource.spi.ConnectionManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-VM publishers are blocked by the resource alarms as RabbitMQ blocks publishing connections. A
 * free-disk limit larger than any disk raises the disk alarm at once and for good.
 */
class ResourceAlarmBlockingTest {
  @TempDir Path dataDir;

  @Test
  void anInVmPublishWaitsWhileTheDiskAlarmIsRaisedAndRoutesNothing() throws Exception {
    try (RunningAdapter running =
            new RunningAdapter(dataDir, adapter -> adapter.setDiskFreeLimit(Long.MAX_VALUE));
        Connection client = running.externalClient()) {
      String queue = "alarm-" + UUID.randomUUID();
      Channel channel = client.createChannel();
      channel.queueDeclare(queue, true, false, false, null);
      WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
      mcf.setResourceAdapter(running.adapter);
      ConnectionManager direct =
          (factory, info) -> factory.createManagedConnection(null, info).getConnection(null, info);
      AmqpConnectionFactory factory = (AmqpConnectionFactory) mcf.createConnectionFactory(direct);

      awaitAlarm(running);

      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread publisher =
          new Thread(
              () -> {
                try (AmqpConnection connection = factory.getConnection()) {
                  connection.publish(
                      "",
                      queue,
                      MessageProperties.builder().persistent().build(),
                      "held back".getBytes(StandardCharsets.UTF_8));
                } catch (Throwable t) {
                  outcome.set(t);
                }
              });
      publisher.start();
      awaitWaiting(publisher);
      assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount());

      publisher.interrupt();
      publisher.join(TimeUnit.SECONDS.toMillis(10));
      AmqpException refused = assertInstanceOf(AmqpException.class, outcome.get());
      assertTrue(refused.getMessage().contains("blocked"), refused.getMessage());
      assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount());
    }
  }

  private static void awaitAlarm(RunningAdapter running) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (running.adapter.broker().alarms().blockReason() == null) {
      assertTrue(System.nanoTime() < deadline, "the disk alarm never went off");
      TimeUnit.MILLISECONDS.sleep(10); // the monitor checks every 250 ms
    }
    assertEquals("low on disk", running.adapter.broker().alarms().blockReason());
  }

  /**
   * Waits (with a deadline) until the thread is parked, i.e. blocked rather than still starting.
   */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(thread.isAlive(), "the publish returned instead of waiting");
      assertTrue(System.nanoTime() < deadline, "the publisher never blocked");
      TimeUnit.MILLISECONDS.sleep(10); // polling another thread's state
    }
  }
}
