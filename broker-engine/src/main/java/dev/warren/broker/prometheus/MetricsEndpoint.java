package dev.warren.broker.prometheus;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.OverviewStatistics;
import dev.warren.broker.http.HttpRequest;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.http.HttpService;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * rabbitmq_prometheus' endpoints: {@code /metrics} (objects aggregated), {@code
 * /metrics/per-object} (one series per queue, channel and connection). Both carry the node's
 * families and the JVM's; the format is the one the scraper asks for (Prometheus text, or
 * OpenMetrics), written by the Prometheus library.
 */
final class MetricsEndpoint implements HttpService {
  private final BrokerAdmin broker;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final PrometheusRegistry jvm = new PrometheusRegistry();

  MetricsEndpoint(BrokerAdmin broker) {
    this.broker = broker;
    JvmMetrics.builder().register(jvm);
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    String path = String.join("/", request.segments());
    boolean perObject;
    if (path.equals("metrics")) {
      perObject = false;
    } else if (path.equals("metrics/per-object")) {
      perObject = true;
    } else {
      return HttpResponse.error(404, "not_found", "Not Found");
    }
    if (!request.method().equals("GET")) {
      return HttpResponse.error(405, "method_not_allowed", "Method Not Allowed")
          .withHeader("Allow", "GET, HEAD");
    }
    ExpositionFormatWriter writer = formats.findWriter(request.header("accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(body, scrape(perObject));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HttpResponse(200, writer.getContentType(), body.toByteArray(), Map.of());
  }

  private MetricSnapshots scrape(boolean perObject) {
    Families families = new Families();
    OverviewStatistics overview = broker.statistics().overview();
    NodeMetrics.identity(broker, perObject ? "per-object" : "aggregated", families);
    NodeMetrics.node(
        broker.statistics().node(), overview.objectTotals(), overview.churn(), families);
    NodeMetrics.global(overview, families);
    families.add(NodeMetrics.messageSizes(broker.statistics().messageSizes()));
    ObjectMetrics.queues(broker.queues(null), perObject, families);
    ObjectMetrics.channels(broker.channels(), perObject, families);
    ObjectMetrics.connections(broker.connections(), perObject, families);
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    families.snapshots().forEach(all::metricSnapshot);
    jvm.scrape().forEach(all::metricSnapshot);
    return all.build();
  }
}
