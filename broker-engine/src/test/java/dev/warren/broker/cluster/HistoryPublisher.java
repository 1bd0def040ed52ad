package dev.warren.broker.cluster;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.nio.ByteBuffer;
import java.util.NavigableMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher of a fault test: persistent messages with confirms to one queue, each body a unique
 * id, every publish, confirm and nack recorded in the {@link History}. When its connection fails it
 * connects again (through {@code connect}, which picks a node) until stopped.
 */
final class HistoryPublisher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HistoryPublisher.class.getName());
  private static final int BATCH = 10;

  private final History history;
  private final String queue;
  private final Callable<Connection> connect;
  private final AtomicLong ids;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Connection connection;
  private final AtomicInteger confirms = new AtomicInteger();
  private final AtomicInteger nacks = new AtomicInteger();

  HistoryPublisher(History history, String queue, Callable<Connection> connect, AtomicLong ids) {
    this.history = history;
    this.queue = queue;
    this.connect = connect;
    this.ids = ids;
    this.thread = new Thread(this::run, "history-publisher");
  }

  HistoryPublisher start() {
    thread.start();
    return this;
  }

  private void run() {
    while (!stopped) {
      try (Connection opened = connect.call()) {
        connection = opened;
        publishOn(opened.createChannel());
      } catch (Exception e) {
        if (!stopped) {
          LOG.log(System.Logger.Level.INFO, "publisher: {0}; connecting again", e.toString());
          pause();
        }
      }
    }
  }

  private void publishOn(Channel channel) throws Exception {
    NavigableMap<Long, Long> outstanding = new ConcurrentSkipListMap<>();
    channel.confirmSelect();
    channel.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long sequence, boolean multiple) {
            settle(outstanding, sequence, multiple, true);
          }

          @Override
          public void handleNack(long sequence, boolean multiple) {
            settle(outstanding, sequence, multiple, false);
          }
        });
    while (!stopped) {
      for (int i = 0; i < BATCH; i++) {
        long id = ids.getAndIncrement();
        outstanding.put(channel.getNextPublishSeqNo(), id);
        history.published(id);
        channel.basicPublish(
            "",
            queue,
            MessageProperties.PERSISTENT_BASIC,
            ByteBuffer.allocate(Long.BYTES).putLong(id).array());
      }
      if (!channel.waitForConfirms(TimeUnit.SECONDS.toMillis(30))) {
        // refused (a node cut off from the majority nacks): try another node, as a client would
        throw new IllegalStateException("publishes refused");
      }
    }
  }

  private void settle(
      NavigableMap<Long, Long> outstanding, long sequence, boolean multiple, boolean ack) {
    NavigableMap<Long, Long> settled =
        multiple
            ? outstanding.headMap(sequence, true)
            : outstanding.subMap(sequence, true, sequence, true);
    for (Long id : settled.values()) {
      if (ack) {
        history.confirmed(id);
        confirms.incrementAndGet();
      } else {
        history.nacked(id);
        nacks.incrementAndGet();
      }
    }
    settled.clear();
  }

  /** Messages of this publisher confirmed so far. */
  int confirms() {
    return confirms.get();
  }

  /** Messages of this publisher refused (nacked) so far. */
  int nacks() {
    return nacks.get();
  }

  private static void pause() {
    try {
      Thread.sleep(200); // a back-off between connection attempts, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    Connection current = connection;
    if (current != null) {
      current.abort(1000);
    }
    thread.join(TimeUnit.SECONDS.toMillis(60));
  }
}
