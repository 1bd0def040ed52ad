package dev.warren.broker.store;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kill -9 cycles against the standalone broker: producers publish persistent messages with confirms
 * and a consumer acks, the broker is killed at a random moment and restarted on the same data
 * directory. At the end every confirmed message must have been delivered, and a message delivered
 * twice must carry redelivered=true the second time.
 */
final class CrashCycles {
  private static final System.Logger LOG = System.getLogger(CrashCycles.class.getName());
  private static final String QUEUE = "crash-cycles";
  private static final int PRODUCERS = 3;
  private static final int MAX_OUTSTANDING = 500;
  private static final Pattern RECOVERED =
      Pattern.compile("Recovered (\\d+) messages .* in (\\d+) ms \\((\\d+) messages/s\\)");

  private final Path dataDir;
  private final Path logs;
  private final Random random;
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
  private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> recoveries = new ArrayList<>();

  /** What the cycles found. */
  record Result(
      int cycles, int confirmed, int lost, List<String> violations, List<String> recoveries) {}

  CrashCycles(Path workDir, long seed) throws IOException {
    this.dataDir = Files.createDirectories(workDir.resolve("data"));
    this.logs = Files.createDirectories(workDir.resolve("logs"));
    this.random = new Random(seed);
  }

  Result run(int cycles) throws Exception {
    for (int cycle = 0; cycle < cycles; cycle++) {
      BrokerProcess broker = BrokerProcess.start(dataDir, logs.resolve("cycle-" + cycle + ".log"));
      try {
        runUntilKilled(broker, cycle);
      } finally {
        broker.kill();
      }
      noteRecovery(broker.log());
    }
    BrokerProcess broker = BrokerProcess.start(dataDir, logs.resolve("final.log"));
    try {
      drainRemaining(broker.port());
    } finally {
      broker.stop();
    }
    noteRecovery(broker.log());
    int lost = 0;
    for (String id : confirmed) {
      if (!deliveries.containsKey(id)) {
        lost++;
        violations.add("confirmed but lost: " + id);
      }
    }
    Result result = new Result(cycles, confirmed.size(), lost, List.copyOf(violations), recoveries);
    LOG.log(
        System.Logger.Level.INFO,
        "Crash cycles: {0} cycles, {1} confirmed messages, {2} lost, {3} violations; recoveries: {4}",
        cycles,
        result.confirmed(),
        lost,
        result.violations().size(),
        recoveries);
    return result;
  }

  private void runUntilKilled(BrokerProcess broker, int cycle) throws Exception {
    ConnectionFactory factory = factory(broker.port());
    Connection consumerConnection = factory.newConnection();
    List<Connection> connections = new ArrayList<>(List.of(consumerConnection));
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> producers = new ArrayList<>();
    try {
      Channel consumer = consumerConnection.createChannel();
      consumer.queueDeclare(QUEUE, true, false, false, null);
      consumer.basicQos(100);
      consumer.basicConsume(
          QUEUE,
          false,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
              delivered(new String(body, StandardCharsets.UTF_8), envelope.isRedeliver());
              getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
          });
      int confirmedBefore = confirmed.size();
      for (int p = 0; p < PRODUCERS; p++) {
        Connection connection = factory.newConnection();
        connections.add(connection);
        String prefix = "c" + cycle + "-p" + p + "-";
        Thread producer = new Thread(() -> produce(connection, prefix, stop), "producer-" + p);
        producer.start();
        producers.add(producer);
      }
      // Kill at a random moment: after a random number of confirms (or a random time).
      int target = confirmedBefore + 100 + random.nextInt(3_000);
      long deadline =
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(4_000));
      while (confirmed.size() < target && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        TimeUnit.MILLISECONDS.sleep(5); // polling the count; the kill moment is random anyway
      }
    } finally {
      broker.kill();
      stop.set(true);
      for (Thread producer : producers) {
        producer.join(TimeUnit.SECONDS.toMillis(30));
      }
      for (Connection connection : connections) {
        connection.abort(1_000);
      }
    }
  }

  private void produce(Connection connection, String prefix, AtomicBoolean stop) {
    ConcurrentNavigableMap<Long, String> outstanding = new ConcurrentSkipListMap<>();
    Semaphore window = new Semaphore(MAX_OUTSTANDING);
    try {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.addConfirmListener(
          (seqNo, multiple) -> {
            Map<Long, String> done = multiple ? outstanding.headMap(seqNo, true) : null;
            if (done != null) {
              confirmed.addAll(done.values());
              window.release(done.size());
              done.clear();
            } else if (outstanding.containsKey(seqNo)) {
              confirmed.add(outstanding.remove(seqNo));
              window.release();
            }
          },
          (seqNo, multiple) -> violations.add("nacked publish " + seqNo));
      for (long n = 0; n < 10_000_000 && !stop.get(); n++) {
        if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          n--;
          continue;
        }
        String id = prefix + n;
        outstanding.put(channel.getNextPublishSeqNo(), id);
        channel.basicPublish(
            "", QUEUE, MessageProperties.PERSISTENT_BASIC, id.getBytes(StandardCharsets.UTF_8));
      }
    } catch (Exception expected) {
      // the broker was killed under us
    }
  }

  private void delivered(String id, boolean redelivered) {
    Integer before = deliveries.merge(id, 1, Integer::sum) - 1;
    if (before > 0 && !redelivered) {
      violations.add("delivered again without redelivered=true: " + id);
    }
  }

  private void drainRemaining(int port) throws Exception {
    try (Connection connection = factory(port).newConnection()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(QUEUE, true, false, false, null);
      for (int i = 0; i < 10_000_000; i++) {
        GetResponse response = channel.basicGet(QUEUE, true);
        if (response == null) {
          return;
        }
        delivered(
            new String(response.getBody(), StandardCharsets.UTF_8),
            response.getEnvelope().isRedeliver());
      }
    }
  }

  private void noteRecovery(Path log) throws IOException {
    Matcher matcher = RECOVERED.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (matcher.find()) {
      recoveries.add(matcher.group(1) + " msgs/" + matcher.group(2) + " ms");
    }
  }

  private static ConnectionFactory factory(int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(10_000);
    return factory;
  }
}
