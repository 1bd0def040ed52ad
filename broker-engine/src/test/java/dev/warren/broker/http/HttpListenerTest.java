package dev.warren.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.server.EventLoops;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generic HTTP listener over raw sockets: caps, timeouts and malformed requests are answered
 * with a JSON reason and never reach the service; the service runs off the event loop.
 */
class HttpListenerTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

  private EventLoops loops;
  private HttpListener listener;
  private final CountDownLatch slowServiceMayFinish = new CountDownLatch(1);

  @BeforeEach
  void start() {
    loops = EventLoops.create();
    Router router =
        new Router(request -> HttpResponse.error(404, "Object Not Found", "Not Found"))
            .get(
                "/echo/{word}",
                (request, parameters) ->
                    HttpResponse.json(200, Map.of("word", parameters.get("word"))))
            .post(
                "/size",
                (request, parameters) ->
                    HttpResponse.json(200, Map.of("bytes", request.body().length)))
            .get(
                "/order/{n}",
                (request, parameters) -> {
                  if (parameters.get("n").equals("1")) {
                    pause(300); // the first request takes longest: it must still come first
                  }
                  return HttpResponse.json(200, Map.of("n", parameters.get("n")));
                })
            .get(
                "/slow",
                (request, parameters) -> {
                  await(slowServiceMayFinish);
                  return HttpResponse.json(200, Map.of("thread", Thread.currentThread().getName()));
                });
    listener =
        HttpListener.start(
            HttpListenerConfig.defaults("test", "127.0.0.1", 0)
                .withMaxBodyBytes(1024)
                .withTimeouts(REQUEST_TIMEOUT, IDLE_TIMEOUT),
            loops.acceptors(),
            loops.workers(),
            null,
            router);
  }

  @AfterEach
  void stop() {
    slowServiceMayFinish.countDown();
    listener.close();
    loops.close();
  }

  @Test
  void percentEncodedSlashesStayInsideTheirSegment() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      String response =
          client
              .send("GET /echo/a%2Fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.contains("{\"word\":\"a/b\"}"), response);
    }
  }

  @Test
  void aBodyOverTheCapIs413WithAReasonAndTheConnectionClosed() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      String response =
          client
              .send("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
              .send("x".repeat(2000))
              .readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      assertTrue(response.contains("\"error\":\"payload_too_large\""), response);
      assertFalse(response.endsWith("<still open>"), response);
    }
    try (RawHttp client = new RawHttp(listener.port())) {
      String chunked =
          client
              .send("POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
              .send(("400\r\n" + "y".repeat(1024) + "\r\n").repeat(3))
              .readUntilClosed();
      assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
    }
  }

  @Test
  void aRequestThatTricklesInIsCutOffWith408() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      long started = System.nanoTime();
      client.send("GET /echo/slow HTTP/1.1\r\nHo");
      String response = client.readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 408"), response);
      assertTrue(response.contains("request_timeout"), response);
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosed() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      String response = client.send("GET /echo/hi HTTP/1.1\r\nHost: x\r\n\r\n").readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertFalse(response.endsWith("<still open>"), "closed after the idle timeout");
    }
  }

  @Test
  void malformedAndOversizedRequestLinesAreRefused() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      String response = client.send("NOT-HTTP\r\n\r\n").readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
    }
    try (RawHttp client = new RawHttp(listener.port())) {
      String response =
          client
              .send("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
              .readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 414"), response);
    }
    try (RawHttp client = new RawHttp(listener.port())) {
      String response = client.send("GET /echo/%zz HTTP/1.1\r\nHost: x\r\n\r\n").readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertTrue(response.contains("bad percent escape"), response);
    }
  }

  @Test
  void wrongMethodsAre405WithAllowAndHeadHasNoBody() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      String response =
          client
              .send("DELETE /echo/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 405"), response);
      assertTrue(
          response.contains("Allow: GET, HEAD, OPTIONS")
              || response.contains("allow: GET, HEAD, OPTIONS"),
          response);
    }
    try (RawHttp client = new RawHttp(listener.port())) {
      String response =
          client
              .send("HEAD /echo/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertFalse(response.contains("word"), response);
    }
  }

  @Test
  void theServiceRunsOffTheEventLoopAndOthersAreServedMeanwhile() throws Exception {
    try (RawHttp slow = new RawHttp(listener.port());
        RawHttp quick = new RawHttp(listener.port())) {
      slow.send("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String response =
          quick
              .send("GET /echo/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      slowServiceMayFinish.countDown();
      String slowResponse = slow.readUntilClosed();
      assertTrue(slowResponse.contains("warren-test-http-"), slowResponse);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttp client = new RawHttp(listener.port())) {
      String response =
          client
              .send(
                  "GET /order/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                      + "GET /order/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                      + "GET /order/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      int one = response.indexOf("{\"n\":\"1\"}");
      int two = response.indexOf("{\"n\":\"2\"}");
      int three = response.indexOf("{\"n\":\"3\"}");
      assertTrue(one > 0 && two > one && three > two, response);
      assertEquals(3, response.split("HTTP/1.1 200", -1).length - 1, response);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
