package dev.warren.broker.ctl;

import dev.warren.broker.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * warrenctl's only way into the broker: RabbitMQ's management HTTP API, with HTTP Basic
 * authentication. Works the same against Warren and against a RabbitMQ node with the management
 * plugin.
 */
final class ManagementClient {

  /** An answer of the API: status and body as sent. */
  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The {@code reason} of RabbitMQ's error body, else the body itself. */
    String reason() {
      try {
        if (Json.parse(body) instanceof Map<?, ?> error && error.get("reason") != null) {
          return String.valueOf(error.get("reason"));
        }
      } catch (IllegalArgumentException notJson) {
        // some proxies answer with HTML: show it as it is
      }
      return body.isBlank() ? "HTTP status " + status : body.strip();
    }
  }

  private final HttpClient http;
  private final URI base;
  private final String authorization;
  private final Duration timeout;

  ManagementClient(URI base, String username, String password, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            // plain HTTP/1.1: an h2c upgrade offer makes some servers drop the request body
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    this.base = base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
  }

  /** One path segment, percent-encoded as the API expects ({@code /} as {@code %2F}). */
  static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** GET of a JSON answer that must succeed, parsed. */
  Object getJson(String path) throws CtlException {
    Response response = send("GET", path, null, Map.of());
    if (!response.ok()) {
      throw failure(response);
    }
    return parse(response.body());
  }

  /** GET of a list that may be absent (an unknown vhost lists nothing, as in rabbitmqctl). */
  List<?> getList(String path) throws CtlException {
    Response response = send("GET", path, null, Map.of());
    if (response.status() == 404) {
      return List.of();
    }
    if (!response.ok() || !(parse(response.body()) instanceof List<?> list)) {
      throw failure(response);
    }
    return list;
  }

  Response send(String method, String path, String jsonBody, Map<String, String> headers)
      throws CtlException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("api/" + path))
            .timeout(timeout)
            .header("Authorization", authorization)
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() == 401) {
        throw CtlException.failed(
            CtlException.NO_PERMISSION,
            "the management API at " + base + " refused the login (401): " + reasonOf(response));
      }
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CtlException.failed(CtlException.SOFTWARE, "interrupted");
    }
  }

  /** A non-2xx answer as rabbitmqctl would report it: the API's reason. */
  CtlException failure(Response response) {
    int code =
        switch (response.status()) {
          case 403 -> CtlException.NO_PERMISSION;
          case 404 -> CtlException.UNAVAILABLE;
          case 400 -> CtlException.DATA_ERROR;
          default -> CtlException.SOFTWARE;
        };
    return CtlException.failed(code, response.reason());
  }

  private static String reasonOf(HttpResponse<String> response) {
    return new Response(response.statusCode(), response.body()).reason();
  }

  private CtlException unreachable(IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new CtlException(
        CtlException.UNAVAILABLE,
        "Error: unable to reach the management API at " + base + " (" + detail + ")");
  }

  private static Object parse(String body) throws CtlException {
    try {
      return Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw CtlException.failed(
          CtlException.SOFTWARE, "the management API sent something else than JSON: " + e);
    }
  }
}
