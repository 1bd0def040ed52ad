package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue-larger-than-memory benchmark: millions of 1 KB messages published into one queue of a
 * standalone broker capped at -Xmx512m, then drained. Runs only when asked, e.g. {@code mvn -pl
 * broker-engine -am test -Dtest=BacklogTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dwarren.backlog.messages=5000000} (add {@code -Dwarren.backlog.persistent=true} for persistent
 * messages). It logs publish and drain rates, peak heap and peak disk use.
 */
@EnabledIfSystemProperty(named = "warren.backlog.messages", matches = "\\d+")
class BacklogTest {
  private static final System.Logger LOG = System.getLogger(BacklogTest.class.getName());
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final int BATCH = 10_000;

  @TempDir Path workDir;

  private final AtomicLong peakHeapKb = new AtomicLong();
  private final AtomicLong peakDiskBytes = new AtomicLong();

  @Test
  void millionsOfOneKilobyteMessagesArePublishedAndDrainedWithA512MegabyteHeap() throws Exception {
    long total = Long.getLong("warren.backlog.messages");
    boolean persistent = Boolean.getBoolean("warren.backlog.persistent");
    Path dataDir = workDir.resolve("data");
    BrokerProcess broker =
        BrokerProcess.startWithHeap("512m", dataDir, workDir.resolve("broker.log"));
    Thread sampler = new Thread(() -> sample(broker.pid(), dataDir), "backlog-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      factory.setPort(broker.port());
      factory.setAutomaticRecoveryEnabled(false);
      byte[] body = new byte[1024];
      AMQP.BasicProperties properties =
          persistent ? MessageProperties.PERSISTENT_BASIC : MessageProperties.BASIC;
      long publishStart = System.nanoTime();
      try (Connection connection = factory.newConnection()) {
        Channel channel = connection.createChannel();
        channel.queueDeclare("backlog", true, false, false, null);
        channel.confirmSelect();
        for (long i = 0; i < total; i++) {
          channel.basicPublish("", "backlog", properties, body);
          if ((i + 1) % BATCH == 0) {
            channel.waitForConfirmsOrDie(600_000);
          }
        }
        channel.waitForConfirmsOrDie(600_000);
        assertEquals(total, channel.queueDeclarePassive("backlog").getMessageCount());
      }
      double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
      long drainStart = System.nanoTime();
      AtomicLong received = new AtomicLong();
      CountDownLatch done = new CountDownLatch(1);
      try (Connection connection = factory.newConnection()) {
        Channel channel = connection.createChannel();
        channel.basicQos(2_000);
        channel.basicConsume(
            "backlog",
            false,
            new DefaultConsumer(channel) {
              @Override
              public void handleDelivery(
                  String tag, Envelope envelope, AMQP.BasicProperties p, byte[] b)
                  throws IOException {
                long count = received.incrementAndGet();
                if (count % 500 == 0 || count == total) {
                  getChannel().basicAck(envelope.getDeliveryTag(), true);
                }
                if (count == total) {
                  done.countDown();
                }
              }
            });
        done.await(2, TimeUnit.HOURS);
      }
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      assertEquals(total, received.get());
      LOG.log(
          System.Logger.Level.INFO,
          String.format(
              "Backlog of %,d x 1 KB %s messages with -Xmx512m: published in %.1f s (%,.0f msg/s),"
                  + " drained in %.1f s (%,.0f msg/s); peak heap used %,d MB; peak disk use %,d MB",
              total,
              persistent ? "persistent" : "transient",
              publishSeconds,
              total / publishSeconds,
              drainSeconds,
              total / drainSeconds,
              peakHeapKb.get() / 1024,
              peakDiskBytes.get() >> 20));
    } finally {
      sampler.interrupt();
      broker.stop();
    }
  }

  /** Samples the broker's heap (jcmd GC.heap_info) and the data directory's size every second. */
  private void sample(long pid, Path dataDir) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        Matcher matcher = HEAP_USED.matcher(output);
        if (matcher.find()) {
          peakHeapKb.accumulateAndGet(Long.parseLong(matcher.group(1)), Math::max);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
          long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
          peakDiskBytes.accumulateAndGet(bytes, Math::max);
        }
        TimeUnit.SECONDS.sleep(1); // a sampling period, not synchronisation
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // a file vanished mid-walk or the broker is stopping: skip this sample
      }
    }
  }
}
