package dev.warren.broker.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.MetricsConfig;
import dev.warren.broker.testsupport.RabbitMqNode;
import dev.warren.broker.testsupport.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The same session of RabbitMQ's Java client against a RabbitMQ node with rabbitmq_prometheus and
 * against Warren, then both {@code /metrics} scrapes through the same parser: every {@code
 * rabbitmq_*} family both serve has the same type and the same label names, and Warren serves no
 * {@code rabbitmq_*} family that RabbitMQ does not (but for those of RabbitMQ releases newer than
 * the reference node's).
 */
class PrometheusDifferentialTest {
  /** Families of RabbitMQ 4.x that the reference node (Debian's 3.10) does not have yet. */
  private static final Set<String> NEWER_THAN_REFERENCE = Set.of("rabbitmq_message_size_bytes");

  /**
   * Labels Warren adds: identity_info's endpoint (RabbitMQ 3.13 and later) and build_info's product
   * (RabbitMQ shows it when the product is renamed, as Warren's is).
   */
  private static final Map<String, Set<String>> EXTRA_LABELS =
      Map.of(
          "rabbitmq_identity_info", Set.of("rabbitmq_endpoint"),
          "rabbitmq_build_info", Set.of("product_name", "product_version"));

  @Test
  void theFamiliesBothServeHaveTheSameTypesAndLabels() throws Exception {
    ParsedMetrics rabbit;
    ParsedMetrics warren;
    try (RabbitMqNode node = RabbitMqNode.start(RabbitMqNode.Plugin.PROMETHEUS)) {
      session(node.amqpPort());
      rabbit = PrometheusEndpointTest.scrape(node.prometheusPort(), "/metrics");
    }
    try (TestBroker broker =
        TestBroker.start(
            BrokerConfig.defaults()
                .withMetrics(
                    MetricsConfig.NONE
                        .withPrometheusPort(0)
                        .withPrometheusBindAddress(TestBroker.HOST)))) {
      session(broker.port());
      warren = PrometheusEndpointTest.scrape(broker.engine().prometheusPort(), "/metrics");
    }
    List<String> differences = new ArrayList<>();
    Set<String> unserved = new TreeSet<>();
    rabbit
        .families()
        .forEach(
            (family, type) -> {
              if (!family.startsWith("rabbitmq_")) {
                return;
              }
              String warrenType = warren.families().get(family);
              if (warrenType == null) {
                unserved.add(family);
              } else if (!warrenType.equals(type)) {
                differences.add(family + ": " + warrenType + ", RabbitMQ " + type);
              } else {
                compareLabels(family, rabbit, warren, differences);
              }
            });
    warren.families().keySet().stream()
        .filter(f -> f.startsWith("rabbitmq_") && !rabbit.families().containsKey(f))
        .filter(f -> !NEWER_THAN_REFERENCE.contains(f))
        .forEach(f -> differences.add(f + ": served by Warren only"));
    System.out.println("rabbitmq_* families of RabbitMQ that Warren does not serve: " + unserved);
    assertEquals(List.of(), differences);
    assertTrue(unserved.size() < rabbit.families().size(), "Warren serves some of them at least");
  }

  private static void compareLabels(
      String family, ParsedMetrics rabbit, ParsedMetrics warren, List<String> differences) {
    Set<String> rabbitLabels = labelNames(rabbit, family);
    Set<String> warrenLabels = labelNames(warren, family);
    warrenLabels.removeAll(EXTRA_LABELS.getOrDefault(family, Set.of()));
    if (!rabbitLabels.equals(warrenLabels)) {
      differences.add(family + ": labels " + warrenLabels + ", RabbitMQ " + rabbitLabels);
    }
  }

  /** The label names of every sample of the family (le included for a histogram's buckets). */
  private static Set<String> labelNames(ParsedMetrics metrics, String family) {
    Set<String> names = new TreeSet<>();
    metrics.familySamples(family).forEach(s -> names.addAll(s.labels().keySet()));
    return names;
  }

  /** Publishes with confirms, consumes with and without acks, fetches, returns and drops. */
  private static void session(int port) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(port);
    try (Connection connection = factory.newConnection("prometheus-differential")) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("prometheus-diff", false, false, false, null);
      channel.confirmSelect();
      for (int i = 0; i < 3; i++) {
        channel.basicPublish("", "prometheus-diff", null, new byte[20]);
      }
      channel.basicPublish("amq.direct", "nowhere", true, null, new byte[20]);
      channel.basicPublish("amq.direct", "nowhere", false, null, new byte[20]);
      channel.waitForConfirmsOrDie(10_000);
      GetResponse got = channel.basicGet("prometheus-diff", false);
      channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
      channel.basicGet("prometheus-diff", true);
      channel.basicConsume("prometheus-diff", true, (tag, delivery) -> {}, tag -> {});
    }
  }
}
