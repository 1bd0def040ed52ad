package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.BasicProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent message that every stored queue has let go of before the store wrote it is confirmed
 * at once and never written (RabbitMQ's message store does the same). The store's thread only
 * starts with {@link DurableStore#recover}, so until then nothing can reach the disk and the order
 * of events is fixed.
 */
class SettledBeforeWriteTest {
  private static final BasicProperties PERSISTENT =
      new BasicProperties(
          null, null, null, 2, null, null, null, null, null, null, null, null, null, null);

  @TempDir Path dataDir;

  @Test
  void aMessageReleasedByEveryStoredQueueIsConfirmedAtOnceAndNeverWritten() throws Exception {
    try (DurableStore store = DurableStore.open(dataDir, StoreConfig.defaults())) {
      Queue queue = declare(new VirtualHost("/", store), "settled");
      Confirm confirm = new Confirm();
      long id = store.store(message("acked early"), List.of(queue), confirm);

      store.released(queue, id);

      assertTrue(confirm.done(), "confirmed before the store thread even started");
      store.recover();
    }
    assertEquals(0, segmentBytes(), "nothing was written to the message segments");
    try (DurableStore store = DurableStore.open(dataDir, StoreConfig.defaults())) {
      Queue queue = declare(new VirtualHost("/", store), "settled");
      store.recover();
      assertEquals(0, queue.messageCount());
    }
  }

  @Test
  void aMessageStillHeldByOneStoredQueueWaitsForItsFsyncAndSurvives() throws Exception {
    try (DurableStore store = DurableStore.open(dataDir, StoreConfig.defaults())) {
      VirtualHost host = new VirtualHost("/", store);
      Queue acked = declare(host, "acked");
      Queue kept = declare(host, "kept");
      Confirm confirm = new Confirm();
      long id = store.store(message("half"), List.of(acked, kept), confirm);

      store.released(acked, id);

      assertFalse(confirm.done(), "not confirmed while a queue holds an unwritten copy");
      store.recover();
      assertTrue(confirm.await(), "confirmed after the fsync");
    }
    try (DurableStore store = DurableStore.open(dataDir, StoreConfig.defaults())) {
      VirtualHost host = new VirtualHost("/", store);
      Queue acked = declare(host, "acked");
      Queue kept = declare(host, "kept");
      store.recover();
      assertEquals(0, acked.messageCount());
      assertEquals(1, kept.messageCount());
    }
  }

  private static Queue declare(VirtualHost host, String name) {
    return host.declareQueue(new QueueDeclaration(name, true, false, false, null), "owner").queue();
  }

  private static Message message(String text) {
    return new Message("", "q", PERSISTENT, text.getBytes(StandardCharsets.UTF_8));
  }

  private long segmentBytes() throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
      long total = 0;
      for (Path file : files.filter(f -> f.toString().endsWith(".seg")).toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  /** A publisher waiting for its confirm: synced for the write, then afterBatch. */
  private static final class Confirm implements Persistence.Synced {
    private final CountDownLatch confirmed = new CountDownLatch(1);
    private volatile boolean synced;

    @Override
    public void synced() {
      synced = true;
    }

    @Override
    public void afterBatch() {
      if (synced) {
        confirmed.countDown();
      }
    }

    boolean done() {
      return confirmed.getCount() == 0;
    }

    boolean await() throws InterruptedException {
      return confirmed.await(10, TimeUnit.SECONDS);
    }
  }
}
