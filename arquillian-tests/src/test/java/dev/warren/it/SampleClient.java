package dev.warren.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The sample's REST endpoints, as a test drives them from outside the server. */
final class SampleClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI api;

  SampleClient(URL deploymentUrl) {
    this.api = URI.create(deploymentUrl.toString().replaceAll("/?$", "/") + "api/");
  }

  void publish(String exchange, String routingKey, String body) {
    send(post("publish/" + exchange + "/" + routingKey, body));
  }

  void publishRolledBack(String exchange, String routingKey, String body) {
    send(post("publish-rolled-back/" + exchange + "/" + routingKey, body));
  }

  long fibonacci(int n) {
    return json(get("fib/" + n)).get("fib").asLong();
  }

  int orderRows(String orderId) {
    return json(get("orders/" + orderId)).get("rows").asInt();
  }

  /** {"rows":n,"distinct":d} for the orders whose id starts with the prefix. */
  String ordersWithPrefix(String prefix) {
    return send(get("orders-with-prefix/" + prefix));
  }

  /** What one listener of the sample has received, oldest first. */
  List<JsonNode> received(String listener) {
    List<JsonNode> messages = new ArrayList<>();
    json(get("received/" + listener)).forEach(messages::add);
    return messages;
  }

  List<String> receivedBodies(String listener) {
    return received(listener).stream().map(m -> m.get("body").asText()).toList();
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(api.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build();
  }

  private JsonNode json(HttpRequest request) {
    try {
      return JSON.readTree(send(request));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(
            request.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
