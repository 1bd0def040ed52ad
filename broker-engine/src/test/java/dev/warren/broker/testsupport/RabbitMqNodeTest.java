package dev.warren.broker.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The reference node the differential tests rely on starts isolated and answers on every port. */
class RabbitMqNodeTest {

  @Test
  void aReferenceNodeServesAmqpManagementAndRabbitmqctl() throws Exception {
    try (RabbitMqNode node =
        RabbitMqNode.start(RabbitMqNode.Plugin.MANAGEMENT, RabbitMqNode.Plugin.PROMETHEUS)) {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost(node.host());
      factory.setPort(node.amqpPort());
      try (Connection connection = factory.newConnection();
          Channel channel = connection.createChannel()) {
        channel.queueDeclare("reference-check", false, false, false, null);
        channel.basicPublish("", "reference-check", null, "hello".getBytes(StandardCharsets.UTF_8));
        GetResponse response = channel.basicGet("reference-check", true);
        assertEquals("hello", new String(response.getBody(), StandardCharsets.UTF_8));
      }
      assertTrue(node.rabbitmqctl("list_queues", "name").contains("reference-check"));

      HttpClient http = HttpClient.newHttpClient();
      String basic =
          Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> overview =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + node.managementPort() + "/api/overview"))
                  .header("Authorization", "Basic " + basic)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, overview.statusCode());
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + node.prometheusPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(metrics.body().contains("rabbitmq_identity_info"), metrics.body());
    }
  }
}
