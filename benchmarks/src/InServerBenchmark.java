import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the in-server benchmark against a running Payara Micro with the Warren adapter and the
 * benchmark application (see benchmarks/in-server.sh): per round and in turn, the same number of
 * persistent messages through the transacted MDB, the non-transacted MDB and a plain external
 * consumer (RabbitMQ's Java client, manual acks, the MDBs' prefetch), each on a durable queue of
 * its own declared alike. Prints the median consumption rate of each and its ratio to the external
 * consumer's.
 *
 * <p>A consumption rate is (messages - 1) / (time from the first message to the last), on the
 * consumer's clock. Every consumer starts on a full queue, so that its rate is not bounded by the
 * publisher nor shares the CPUs with it: the external consumer subscribes once its messages are all
 * in its queue, and the MDBs (always subscribed) wait in their first delivery until the driver
 * opens their gate after publishing. The publish rate is printed too.
 *
 * <p>Runs as a single-file source program with the Java client on the class path: {@code java -cp
 * 'perftest-lib/*' InServerBenchmark.java --amqp-port P --http-port H --server-pid PID [--rounds R]
 * [--messages N] [--size B]}; it first waits for the server to deploy the benchmark application.
 */
public final class InServerBenchmark {
  private static final String TRANSACTED = "transacted";
  private static final String UNTRANSACTED = "untransacted";
  private static final String EXTERNAL = "external";
  private static final int PREFETCH = 100; // as the MDBs' activation configs
  private static final int CONFIRM_WINDOW = 1_000;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SERVER_START_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern SNAPSHOT =
      Pattern.compile("\"messages\":(\\d+),\"elapsedNanos\":(\\d+)");

  private final ConnectionFactory factory = new ConnectionFactory();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String consumptionUrl;
  private final int messages;
  private final byte[] body;

  /** One measured run. */
  record Run(String consumer, double consumedPerSecond, double publishedPerSecond) {}

  private InServerBenchmark(int amqpPort, int httpPort, int messages, int size) {
    factory.setHost("127.0.0.1");
    factory.setPort(amqpPort);
    factory.setAutomaticRecoveryEnabled(false);
    this.consumptionUrl = "http://127.0.0.1:" + httpPort + "/warren-bench/api/consumption/";
    this.messages = messages;
    this.body = new byte[size];
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int rounds = Integer.parseInt(options.getOrDefault("--rounds", "5"));
    InServerBenchmark benchmark =
        new InServerBenchmark(
            Integer.parseInt(required(options, "--amqp-port")),
            Integer.parseInt(required(options, "--http-port")),
            Integer.parseInt(options.getOrDefault("--messages", "100000")),
            Integer.parseInt(options.getOrDefault("--size", "100")));
    benchmark.awaitServer(Long.parseLong(required(options, "--server-pid")));
    // one unmeasured round, so that the first measured runs do not pay for the JIT's warm-up
    for (String consumer : List.of(TRANSACTED, UNTRANSACTED, EXTERNAL)) {
      benchmark.run(consumer);
    }
    List<Run> runs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (String consumer : List.of(TRANSACTED, UNTRANSACTED, EXTERNAL)) {
        Run run = benchmark.run(consumer);
        System.err.printf(
            Locale.ROOT,
            "[in-server] round %d %-12s consumed %,.0f msg/s (published %,.0f msg/s)%n",
            round,
            consumer,
            run.consumedPerSecond(),
            run.publishedPerSecond());
        runs.add(run);
      }
    }
    System.out.print(table(runs, rounds, benchmark.messages, benchmark.body.length));
  }

  /** Waits until the benchmark application answers, as long as the server process lives. */
  private void awaitServer(long pid) throws Exception {
    long deadline = System.nanoTime() + SERVER_START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException("the server (pid " + pid + ") is gone");
      }
      try {
        if (SNAPSHOT.matcher(get(TRANSACTED)).find()) {
          return;
        }
      } catch (IOException notYetListening) {
        // the HTTP listener opens once the applications are deployed
      }
      TimeUnit.MILLISECONDS.sleep(500); // polling a server that is booting
    }
    throw new IllegalStateException("the server did not deploy the benchmark application in time");
  }

  private Run run(String consumer) throws Exception {
    String queue = "warren.bench." + consumer;
    try (Connection connection = factory.newConnection("in-server-benchmark")) {
      Channel channel = connection.createChannel();
      // the MDBs declared theirs on activation, alike: durable, no arguments
      channel.queueDeclare(queue, true, false, false, null);
      channel.queuePurge(queue);
      if (consumer.equals(EXTERNAL)) {
        double published = publish(connection, queue);
        return new Run(consumer, consumeExternally(connection, queue), published);
      }
      reset(consumer);
      double published = publish(connection, queue);
      open(consumer);
      return new Run(consumer, awaitServerSide(consumer), published);
    }
  }

  /** Publishes the run's messages with confirms and returns the publish rate. */
  private double publish(Connection connection, String queue) throws Exception {
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    Semaphore window = new Semaphore(CONFIRM_WINDOW);
    NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
    channel.addConfirmListener(
        (seqNo, multiple) -> settle(outstanding, window, seqNo, multiple),
        (seqNo, multiple) -> {
          throw new IllegalStateException("the broker nacked publish " + seqNo);
        });
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      if (!window.tryAcquire(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("no publisher confirm within " + RUN_TIMEOUT);
      }
      outstanding.add(channel.getNextPublishSeqNo());
      channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
    }
    channel.waitForConfirmsOrDie(RUN_TIMEOUT.toMillis());
    double rate = messages / seconds(System.nanoTime() - start);
    channel.close();
    return rate;
  }

  private static void settle(
      NavigableSet<Long> outstanding, Semaphore window, long seqNo, boolean multiple) {
    if (multiple) {
      NavigableSet<Long> done = outstanding.headSet(seqNo, true);
      int count = done.size();
      done.clear();
      window.release(count);
    } else if (outstanding.remove(seqNo)) {
      window.release();
    }
  }

  /** Consumes the queue's messages with the MDBs' prefetch, acking each, and returns the rate. */
  private double consumeExternally(Connection connection, String queue) throws Exception {
    Channel channel = connection.createChannel();
    channel.basicQos(PREFETCH);
    CountDownLatch done = new CountDownLatch(messages);
    long[] firstAndLast = new long[2];
    String tag =
        channel.basicConsume(
            queue,
            false,
            new DefaultConsumer(channel) {
              @Override
              public void handleDelivery(
                  String consumerTag,
                  Envelope envelope,
                  AMQP.BasicProperties properties,
                  byte[] received)
                  throws IOException {
                long now = System.nanoTime();
                if (done.getCount() == messages) {
                  firstAndLast[0] = now;
                }
                firstAndLast[1] = now;
                getChannel().basicAck(envelope.getDeliveryTag(), false);
                done.countDown();
              }
            });
    if (!done.await(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the external consumer did not get every message in time");
    }
    channel.basicCancel(tag);
    return (messages - 1) / seconds(firstAndLast[1] - firstAndLast[0]);
  }

  /** Polls the benchmark application until the MDB has consumed every message. */
  private double awaitServerSide(String consumer) throws Exception {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher snapshot = SNAPSHOT.matcher(get(consumer));
      if (!snapshot.find()) {
        throw new IllegalStateException("unexpected answer from " + consumptionUrl + consumer);
      }
      long consumed = Long.parseLong(snapshot.group(1));
      if (consumed >= messages) {
        return (consumed - 1) / seconds(Long.parseLong(snapshot.group(2)));
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling a counter that only grows
    }
    throw new IllegalStateException("the " + consumer + " MDB did not get every message in time");
  }

  private String get(String consumer) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(consumptionUrl + consumer)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /** A new tally for the MDB, which waits in its next delivery until {@link #open}. */
  private void reset(String consumer) throws Exception {
    send(HttpRequest.newBuilder(URI.create(consumptionUrl + consumer)).DELETE().build());
  }

  private void open(String consumer) throws Exception {
    send(
        HttpRequest.newBuilder(URI.create(consumptionUrl + consumer))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private void send(HttpRequest request) throws Exception {
    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          request.method() + " " + request.uri() + ": " + response.statusCode());
    }
  }

  private static String table(List<Run> runs, int rounds, int messages, int size) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| Consumer | consumed msg/s median (min–max, runs) | vs external | published msg/s"
            + " median |\n");
    out.append("|---|---|---|---|\n");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(TRANSACTED, "transacted MDB (container-managed, XA, commit acks)");
    labels.put(UNTRANSACTED, "non-transacted MDB (acked when onMessage returns)");
    labels.put(EXTERNAL, "external consumer (Java client, manual ack)");
    double external = median(rates(runs, EXTERNAL));
    for (Map.Entry<String, String> label : labels.entrySet()) {
      double[] consumed = rates(runs, label.getKey());
      double[] published =
          runs.stream()
              .filter(r -> r.consumer().equals(label.getKey()))
              .mapToDouble(Run::publishedPerSecond)
              .toArray();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f (%,.0f–%,.0f, n=%d) | %.2f× | %,.0f |%n",
              label.getValue(),
              median(consumed),
              Arrays.stream(consumed).min().orElse(Double.NaN),
              Arrays.stream(consumed).max().orElse(Double.NaN),
              consumed.length,
              median(consumed) / external,
              median(published)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nRounds %d, %,d persistent messages of %d bytes per run, prefetch %d, one consumer"
                + " each (MDBs: maxConcurrency 1).%n",
            rounds,
            messages,
            size,
            PREFETCH));
    return out.toString();
  }

  private static double[] rates(List<Run> runs, String consumer) {
    return runs.stream()
        .filter(r -> r.consumer().equals(consumer))
        .mapToDouble(Run::consumedPerSecond)
        .toArray();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }
}
