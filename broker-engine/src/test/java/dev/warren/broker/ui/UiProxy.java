package dev.warren.broker.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves the management UI from the class path and passes {@code /api} to a RabbitMQ node's
 * management plugin, so that the browser tests can run the UI against RabbitMQ's own API (the
 * reference for its JSON shapes), as Warren serves it against its own.
 */
final class UiProxy implements AutoCloseable {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");
  private static final List<String> FORWARDED =
      List.of("Authorization", "Content-Type", "X-Reason", "X-Requested-With");

  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI api;

  private UiProxy(HttpServer server, URI api) {
    this.server = server;
    this.api = api;
  }

  static UiProxy start(String host, int managementPort) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    UiProxy proxy = new UiProxy(server, URI.create("http://" + host + ":" + managementPort));
    server.createContext("/", proxy::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return proxy;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        forward(exchange);
      } else {
        serve(exchange, path.equals("/") ? "index.html" : path.substring(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange exchange) throws IOException, InterruptedException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                api.resolve(
                    exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery())))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : FORWARDED) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    HttpResponse<byte[]> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    response
        .headers()
        .firstValue("Content-Type")
        .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
    reply(exchange, response.statusCode(), response.body());
  }

  private void serve(HttpExchange exchange, String file) throws IOException {
    String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
    InputStream in =
        file.contains("..") || type == null
            ? null
            : UiProxy.class.getClassLoader().getResourceAsStream("warren-ui/" + file);
    if (in == null) {
      reply(exchange, 404, new byte[0]);
      return;
    }
    try (in) {
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange
          .getResponseHeaders()
          .set(
              "Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                  + " connect-src 'self'; object-src 'none'; frame-ancestors 'none'");
      reply(exchange, 200, in.readAllBytes());
    }
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
