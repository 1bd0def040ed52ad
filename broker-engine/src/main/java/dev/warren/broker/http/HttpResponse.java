package dev.warren.broker.http;

import dev.warren.broker.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer: status, content type, body and extra headers (Content-Length and Connection are the
 * listener's business).
 */
public record HttpResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";

  public HttpResponse {
    body = body == null ? new byte[0] : body;
    headers = Map.copyOf(headers);
  }

  /** The value as JSON. */
  public static HttpResponse json(int status, Object value) {
    return new HttpResponse(status, JSON, Json.writeBytes(value), Map.of());
  }

  /** No body, e.g. 201 Created or 204 No Content. */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, null, null, Map.of());
  }

  public static HttpResponse text(int status, String contentType, String text) {
    return new HttpResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * RabbitMQ's error body, {@code {"error": ..., "reason": ...}}: every failure is answered with
   * one, so that no client ever has to guess from an empty page.
   */
  public static HttpResponse error(int status, String error, String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("reason", reason);
    return json(status, body);
  }

  public HttpResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpResponse(status, contentType, body, more);
  }
}
