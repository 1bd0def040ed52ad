package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind the quorum queues' layout (docs/cluster.md): confirmed, persistent 1 KB
 * publishes to Q quorum queues on a three-node cluster, consumed and acked on other nodes, with the
 * queues in one shared log, or each in a log of its own. Opt-in (minutes, and it needs a quiet
 * machine): run it under the benchmark lock with
 *
 * <pre>
 * mvn -B -pl broker-engine -am test -Dtest=QuorumLayoutBenchmarkTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dwarren.quorum.layout.seconds=20
 * </pre>
 */
@EnabledIfSystemProperty(named = "warren.quorum.layout.seconds", matches = "\\d+")
class QuorumLayoutBenchmarkTest {
  private static final int OUTSTANDING_CONFIRMS = 200;
  private static final byte[] BODY = new byte[1024];

  @TempDir Path directory;

  @Test
  void sharedLogAgainstALogPerQueue() throws Exception {
    int seconds = Integer.getInteger("warren.quorum.layout.seconds");
    List<String> lines = new ArrayList<>();
    for (int queues : new int[] {1, 8}) {
      for (int shards : queues == 1 ? new int[] {1} : new int[] {1, 2, queues}) {
        double rate = measure(queues, shards, seconds);
        lines.add(
            "%d queue(s), %d shard log(s): %.0f confirmed msg/s".formatted(queues, shards, rate));
        System.getLogger(getClass().getName())
            .log(System.Logger.Level.INFO, lines.get(lines.size() - 1));
      }
    }
    lines.forEach(line -> System.out.println("LAYOUT " + line));
  }

  private double measure(int queues, int shards, int seconds) throws Exception {
    Path run = Files.createDirectories(directory.resolve("q" + queues + "-s" + shards));
    try (ClusterNodes nodes =
        ClusterNodes.start(run, "layout", 3, "--cluster-quorum-shards", Integer.toString(shards))) {
      List<String> names = namesInDistinctShards(queues, shards);
      try (Connection admin = connect(nodes, 0)) {
        Channel channel = admin.createChannel();
        for (String name : names) {
          channel.queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
        }
      }
      AtomicLong confirmed = new AtomicLong();
      List<Connection> connections = new ArrayList<>();
      List<Thread> publishers = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      for (int i = 0; i < queues; i++) {
        String queue = names.get(i);
        Connection consuming = connect(nodes, (i + 1) % 3);
        connections.add(consuming);
        consume(consuming.createChannel(), queue);
        Connection publishing = connect(nodes, i % 3);
        connections.add(publishing);
        Thread publisher = new Thread(() -> publish(publishing, queue, end, confirmed));
        publishers.add(publisher);
      }
      long start = System.nanoTime();
      publishers.forEach(Thread::start);
      for (Thread publisher : publishers) {
        publisher.join(TimeUnit.SECONDS.toMillis(seconds + 60));
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      for (Connection connection : connections) {
        connection.abort();
      }
      assertTrue(confirmed.get() > 0, "nothing was confirmed");
      return confirmed.get() / elapsed;
    }
  }

  /** Queue names whose shards differ while there are more shards than queues so far. */
  private static List<String> namesInDistinctShards(int queues, int shards) {
    List<String> names = new ArrayList<>();
    List<Integer> used = new ArrayList<>();
    for (int i = 0; names.size() < queues; i++) {
      String name = "layout-" + i;
      int shard = Math.floorMod(("/" + '/' + name).hashCode(), shards);
      if (used.size() >= shards || !used.contains(shard)) {
        names.add(name);
        used.add(shard);
      }
    }
    return names;
  }

  private static void publish(Connection connection, String queue, long end, AtomicLong confirmed) {
    try {
      Channel channel = connection.createChannel();
      Semaphore window = new Semaphore(OUTSTANDING_CONFIRMS);
      channel.confirmSelect();
      ConfirmCounter counter = new ConfirmCounter(window, confirmed);
      channel.addConfirmListener(counter::acked, counter::acked);
      while (System.nanoTime() < end) {
        window.acquire();
        channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, BODY);
      }
      channel.waitForConfirms(30_000);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts confirms (multiple ones included) and frees the publisher's window. */
  private static final class ConfirmCounter {
    private final Semaphore window;
    private final AtomicLong confirmed;
    private long lastConfirmed;

    ConfirmCounter(Semaphore window, AtomicLong confirmed) {
      this.window = window;
      this.confirmed = confirmed;
    }

    synchronized void acked(long tag, boolean multiple) {
      long count = multiple ? tag - lastConfirmed : 1;
      lastConfirmed = Math.max(lastConfirmed, tag);
      confirmed.addAndGet(count);
      window.release((int) count);
    }
  }

  private static void consume(Channel channel, String queue) throws IOException {
    channel.basicQos(500);
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          private long count;

          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            if (++count % 50 == 0) {
              getChannel().basicAck(envelope.getDeliveryTag(), true);
            }
          }
        });
  }

  private static Connection connect(ClusterNodes nodes, int node) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(nodes.amqpPort(node));
    factory.setAutomaticRecoveryEnabled(false);
    return factory.newConnection();
  }
}
