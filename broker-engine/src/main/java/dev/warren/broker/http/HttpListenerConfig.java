package dev.warren.broker.http;

import java.time.Duration;

/**
 * How an {@link HttpListener} listens and how much it tolerates from a client.
 *
 * @param name names the listener in logs and its worker threads, e.g. "management"
 * @param bindAddress address to bind to
 * @param port port to bind to; 0 picks a free one
 * @param maxBodyBytes request bodies above this are refused with 413 before they are read
 * @param requestTimeout a request must arrive completely within this time from its first byte, or
 *     it is answered with 408 and the connection closed (slow clients hold no thread meanwhile)
 * @param idleTimeout a kept-alive connection without a request for this long is closed
 * @param workerThreads threads that run the service; requests beyond them wait in a bounded queue
 *     and are refused with 503 when it is full
 */
public record HttpListenerConfig(
    String name,
    String bindAddress,
    int port,
    int maxBodyBytes,
    Duration requestTimeout,
    Duration idleTimeout,
    int workerThreads) {

  /** RabbitMQ's management.http.max_body_size default. */
  public static final int DEFAULT_MAX_BODY_BYTES = 20_000_000;

  public static HttpListenerConfig defaults(String name, String bindAddress, int port) {
    return new HttpListenerConfig(
        name,
        bindAddress,
        port,
        DEFAULT_MAX_BODY_BYTES,
        Duration.ofSeconds(30),
        Duration.ofSeconds(120),
        4);
  }

  public HttpListenerConfig withTimeouts(Duration request, Duration idle) {
    return new HttpListenerConfig(
        name, bindAddress, port, maxBodyBytes, request, idle, workerThreads);
  }

  public HttpListenerConfig withMaxBodyBytes(int value) {
    return new HttpListenerConfig(
        name, bindAddress, port, value, requestTimeout, idleTimeout, workerThreads);
  }
}
