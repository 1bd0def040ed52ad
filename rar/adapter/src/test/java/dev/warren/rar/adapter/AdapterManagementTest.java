package dev.warren.rar.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import dev.warren.rar.adapter.testsupport.ManagementApi;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's front door to the management API: its properties open the same listener as the
 * standalone broker's, over the adapter's engine.
 */
class AdapterManagementTest {
  @TempDir Path dir;

  @Test
  void theManagementPropertiesOpenTheApiOverTheAdaptersEngine() throws Exception {
    int managementPort = RunningAdapter.freePort();
    try (RunningAdapter running =
            new RunningAdapter(
                dir,
                adapter -> {
                  adapter.setManagementPort(managementPort);
                  adapter.setManagementBindAddress("127.0.0.1");
                });
        Connection client = running.externalClient()) {
      client.createChannel().queueDeclare("seen-by-management", false, false, false, null);

      HttpResponse<String> queue =
          ManagementApi.get(managementPort, "/api/queues/%2F/seen-by-management");
      HttpResponse<String> connections = ManagementApi.get(managementPort, "/api/connections");

      assertEquals(200, queue.statusCode(), queue.body());
      assertTrue(queue.body().contains("\"name\":\"seen-by-management\""), queue.body());
      assertTrue(connections.body().contains("adapter-test"), connections.body());
    }
  }

  @Test
  void thePrometheusPortOpensRabbitMqsMetricsOverTheAdaptersEngine() throws Exception {
    assertEquals(0, new WarrenResourceAdapter().getPrometheusPort(), "off unless asked for");
    int prometheusPort = RunningAdapter.freePort();
    try (RunningAdapter running =
            new RunningAdapter(
                dir,
                adapter -> {
                  adapter.setPrometheusPort(prometheusPort);
                  adapter.setManagementBindAddress("127.0.0.1");
                });
        Connection client = running.externalClient()) {
      client.createChannel().queueDeclare("seen-by-prometheus", false, false, false, null);

      HttpResponse<String> metrics = ManagementApi.get(prometheusPort, "/metrics");

      assertEquals(200, metrics.statusCode(), metrics.body());
      assertTrue(metrics.body().contains("rabbitmq_identity_info{"), metrics.body());
      assertTrue(metrics.body().contains("\nrabbitmq_queues 1"), metrics.body());
      assertTrue(metrics.body().contains("\nrabbitmq_queues_declared_total 1"), metrics.body());
    }
  }
}
