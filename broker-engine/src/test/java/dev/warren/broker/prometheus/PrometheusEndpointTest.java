package dev.warren.broker.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.MetricsConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warren's Prometheus endpoint as Prometheus and Grafana see it: every scrape goes through the
 * official Python client's parser, the Overview dashboard's series are all there with their types
 * and labels, and counters move by what a known session of RabbitMQ's Java client did.
 */
class PrometheusEndpointTest {
  private static TestBroker broker;
  private static int prometheusPort;

  @BeforeAll
  static void start() {
    broker =
        TestBroker.start(
            BrokerConfig.defaults()
                .withMetrics(
                    MetricsConfig.NONE
                        .withPrometheusPort(0)
                        .withPrometheusBindAddress(TestBroker.HOST)));
    prometheusPort = broker.engine().prometheusPort();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + TestBroker.HOST + ":" + port + path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static ParsedMetrics scrape(int port, String path) throws Exception {
    HttpResponse<String> response = get(port, path, null);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
        response.headers().toString());
    return ParsedMetrics.parse(response.body());
  }

  /** The dashboard's series: sample name, then its family type and label names. */
  static Map<String, List<String>> dashboardSeries() throws IOException {
    Map<String, List<String>> series = new LinkedHashMap<>();
    try (InputStream in =
        PrometheusEndpointTest.class.getResourceAsStream(
            "/prometheus/rabbitmq-overview-dashboard.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] fields = line.trim().split(" ");
          series.put(fields[0], List.of(fields[1], fields[2]));
        }
      }
    }
    return series;
  }

  static Set<String> labelNames(String spec) {
    return spec.equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(spec.split(",")));
  }

  @Test
  void everySeriesTheOverviewDashboardQueriesIsServedWithItsTypeAndLabels() throws Exception {
    ParsedMetrics metrics = scrape(prometheusPort, "/metrics");
    List<String> wrong = new ArrayList<>();
    dashboardSeries()
        .forEach(
            (name, expected) -> {
              List<ParsedMetrics.Sample> samples = metrics.samples(name);
              if (samples.isEmpty()) {
                wrong.add(name + " is missing");
              } else if (!samples.get(0).type().equals(expected.get(0))) {
                wrong.add(name + " is a " + samples.get(0).type() + ", not a " + expected.get(0));
              } else if (!metrics.labelNames(name).equals(Set.of(labelNames(expected.get(1))))) {
                wrong.add(name + " has labels " + metrics.labelNames(name));
              }
            });
    assertEquals(List.of(), wrong);
    assertTrue(metrics.value("rabbitmq_process_open_fds") > 0, "the process' open descriptors");
    assertTrue(metrics.value("rabbitmq_process_max_fds") > 0, "its descriptor limit");
    assertEquals(
        "aggregated",
        metrics.samples("rabbitmq_identity_info").get(0).labels().get("rabbitmq_endpoint"));
    assertEquals(
        broker.engine().admin().identity().rabbitmqVersion(),
        metrics.samples("rabbitmq_build_info").get(0).labels().get("rabbitmq_version"));
  }

  @Test
  void theJvmsMetricsAreServedUnderTheirUsualNames() throws Exception {
    Map<String, String> families = scrape(prometheusPort, "/metrics").families();
    assertEquals("gauge", families.get("jvm_memory_used_bytes"));
    assertEquals("gauge", families.get("jvm_threads_current"));
    assertEquals("counter", families.get("process_cpu_seconds"));
  }

  @Test
  void countersMoveByWhatAKnownSessionDid() throws Exception {
    ParsedMetrics before = scrape(prometheusPort, "/metrics");
    String queue = "counted-" + UUID.randomUUID();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    try (Connection connection = factory.newConnection()) {
      Channel publisher = connection.createChannel();
      publisher.queueDeclare(queue, false, false, true, null);
      publisher.confirmSelect();
      for (int i = 0; i < 5; i++) {
        publisher.basicPublish("", queue, null, new byte[50]);
      }
      publisher.basicPublish("amq.direct", "nowhere", true, null, new byte[500]);
      publisher.basicPublish("amq.direct", "nowhere", false, null, new byte[5000]);
      publisher.waitForConfirmsOrDie(10_000);
      Channel consumer = connection.createChannel();
      CountDownLatch received = new CountDownLatch(5);
      consumer.basicConsume(
          queue,
          false,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
              consumer.basicAck(envelope.getDeliveryTag(), false);
              received.countDown();
            }
          });
      assertTrue(received.await(10, TimeUnit.SECONDS));
      assertEquals(null, publisher.basicGet(queue, true)); // get_empty, after the acks
    }
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("rabbitmq_global_messages_received_total", 7.0);
    expected.put("rabbitmq_global_messages_received_confirm_total", 7.0);
    expected.put("rabbitmq_global_messages_routed_total", 5.0);
    expected.put("rabbitmq_global_messages_unroutable_returned_total", 1.0);
    expected.put("rabbitmq_global_messages_unroutable_dropped_total", 1.0);
    expected.put("rabbitmq_global_messages_confirmed_total", 7.0);
    expected.put("rabbitmq_global_messages_delivered_total", 5.0);
    expected.put("rabbitmq_global_messages_delivered_consume_manual_ack_total", 5.0);
    expected.put("rabbitmq_global_messages_delivered_consume_auto_ack_total", 0.0);
    expected.put("rabbitmq_global_messages_acknowledged_total", 5.0);
    expected.put("rabbitmq_global_messages_get_empty_total", 1.0);
    expected.put("rabbitmq_connections_opened_total", 1.0);
    expected.put("rabbitmq_connections_closed_total", 1.0);
    expected.put("rabbitmq_channels_opened_total", 2.0);
    expected.put("rabbitmq_channels_closed_total", 2.0);
    expected.put("rabbitmq_queues_declared_total", 1.0);
    expected.put("rabbitmq_queues_created_total", 1.0);
    expected.put("rabbitmq_queues_deleted_total", 1.0); // auto-delete, its consumer gone
    expected.put("rabbitmq_message_size_bytes_count", 7.0);
    expected.put("rabbitmq_message_size_bytes_sum", 5 * 50.0 + 500 + 5000);
    Map<String, Double> actual = new LinkedHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      ParsedMetrics after = scrape(prometheusPort, "/metrics");
      actual.clear();
      expected.keySet().forEach(name -> actual.put(name, delta(before, after, name)));
      if (actual.equals(expected) || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(50); // connection close and auto-delete finish on the broker's threads
    }
    assertEquals(expected, actual);
  }

  /** A series' growth between two scrapes; global counters are read in their classic series. */
  private static double delta(ParsedMetrics before, ParsedMetrics after, String name) {
    String[] labels =
        name.startsWith("rabbitmq_global_messages_")
                && !name.contains("received")
                && !name.contains("routed")
                && !name.contains("unroutable")
                && !name.contains("confirmed")
            ? new String[] {"queue_type", "rabbit_classic_queue"}
            : new String[0];
    return after.value(name, labels) - before.value(name, labels);
  }

  /**
   * RabbitMQ's buckets (rabbit_msg_size_metrics), compared as numbers: the library writes 1e7 as
   * {@code 1.0E7} where RabbitMQ writes {@code 1e+07}; Prometheus 3 normalises {@code le} values as
   * it ingests them, so the dashboard's {@code le="1e+07"} selects both.
   */
  @Test
  void theMessageSizeHistogramHasRabbitMqsBuckets() throws Exception {
    ParsedMetrics metrics = scrape(prometheusPort, "/metrics");
    List<Double> bounds =
        metrics.samples("rabbitmq_message_size_bytes_bucket").stream()
            .map(s -> Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")))
            .toList();
    assertEquals(List.of(1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 5e7, 1e8, Double.POSITIVE_INFINITY), bounds);
  }

  @Test
  void thePerObjectEndpointHasOneSeriesPerQueue() throws Exception {
    String queue = "per-object-" + UUID.randomUUID();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    try (Connection connection = factory.newConnection()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(queue, false, false, false, null);
      channel.confirmSelect();
      for (int i = 0; i < 3; i++) {
        channel.basicPublish("", queue, null, new byte[10]);
      }
      channel.waitForConfirmsOrDie(10_000);

      ParsedMetrics metrics = scrape(prometheusPort, "/metrics/per-object");

      assertEquals(
          3.0, metrics.value("rabbitmq_queue_messages_ready", "vhost", "/", "queue", queue));
      assertEquals(3.0, metrics.value("rabbitmq_queue_messages", "vhost", "/", "queue", queue));
      assertEquals(
          30.0, metrics.value("rabbitmq_queue_messages_bytes", "vhost", "/", "queue", queue));
      assertEquals(
          Set.of(Set.of("channel")),
          metrics.labelNames("rabbitmq_channel_messages_published_total"));
      assertEquals(
          "per-object",
          metrics.samples("rabbitmq_identity_info").get(0).labels().get("rabbitmq_endpoint"));
      channel.queueDelete(queue);
    }
  }

  @Test
  void anOpenMetricsScraperGetsOpenMetrics() throws Exception {
    HttpResponse<String> response =
        get(prometheusPort, "/metrics", "application/openmetrics-text; version=1.0.0");
    assertEquals(200, response.statusCode());
    assertTrue(
        response
            .headers()
            .firstValue("content-type")
            .orElse("")
            .startsWith("application/openmetrics-text"));
    assertTrue(response.body().endsWith("# EOF\n"), response.body());
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertEquals(404, get(prometheusPort, "/api/overview", null).statusCode());
    assertEquals(404, get(prometheusPort, "/metrics/nonsense", null).statusCode());
    HttpResponse<String> post =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + TestBroker.HOST + ":" + prometheusPort + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }
}
