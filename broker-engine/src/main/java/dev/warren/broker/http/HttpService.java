package dev.warren.broker.http;

/**
 * What answers the requests of an {@link HttpListener}. It runs on the listener's worker threads,
 * never on an event loop, so it may block (on a lock, on the disk) for a while.
 */
@FunctionalInterface
public interface HttpService {

  HttpResponse handle(HttpRequest request);

  /**
   * The answer when the listener itself refuses a request (malformed, too large, too slow, the
   * server busy) or the service threw: RabbitMQ's JSON error body unless a service says otherwise.
   */
  default HttpResponse failure(int status, String error, String reason) {
    return HttpResponse.error(status, error, reason);
  }
}
