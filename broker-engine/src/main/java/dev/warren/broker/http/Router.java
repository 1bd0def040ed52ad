package dev.warren.broker.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes a request by method and path pattern to its handler. A pattern is a path whose segments
 * are literals or {@code {name}} placeholders, each matching one whole decoded segment (e.g. {@code
 * /api/queues/{vhost}/{queue}}). A path that matches no pattern goes to the fallback; one that
 * matches a pattern but not its method is answered 405 with an Allow header.
 */
public final class Router implements HttpService {

  /** Answers one route; {@code parameters} holds the placeholders' decoded values. */
  @FunctionalInterface
  public interface Handler {
    HttpResponse handle(HttpRequest request, Map<String, String> parameters);
  }

  private record Route(String method, List<String> pattern, Handler handler) {
    /** The placeholders' values if the segments match, else null. */
    Map<String, String> match(List<String> segments) {
      if (segments.size() != pattern.size()) {
        return null;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      for (int i = 0; i < pattern.size(); i++) {
        String expected = pattern.get(i);
        if (expected.startsWith("{") && expected.endsWith("}")) {
          parameters.put(expected.substring(1, expected.length() - 1), segments.get(i));
        } else if (!expected.equals(segments.get(i))) {
          return null;
        }
      }
      return parameters;
    }
  }

  private final List<Route> routes = new ArrayList<>();
  private final HttpService fallback;

  /**
   * @param fallback answers paths that match no route (e.g. static files, or a 404)
   */
  public Router(HttpService fallback) {
    this.fallback = fallback;
  }

  public Router get(String pattern, Handler handler) {
    return add("GET", pattern, handler);
  }

  public Router put(String pattern, Handler handler) {
    return add("PUT", pattern, handler);
  }

  public Router post(String pattern, Handler handler) {
    return add("POST", pattern, handler);
  }

  public Router delete(String pattern, Handler handler) {
    return add("DELETE", pattern, handler);
  }

  public Router add(String method, String pattern, Handler handler) {
    routes.add(new Route(method, PathSegments.decode(pattern), handler));
    return this;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> parameters = route.match(request.segments());
      if (parameters == null) {
        continue;
      }
      if (route.method().equals(request.method())) {
        return route.handler().handle(request, parameters);
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      return fallback.handle(request);
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    allowed.add("OPTIONS");
    String allow = String.join(", ", allowed);
    if (request.method().equals("OPTIONS")) {
      return HttpResponse.empty(204).withHeader("Allow", allow);
    }
    return fallback
        .failure(405, "method_not_allowed", request.method() + " is not allowed here")
        .withHeader("Allow", allow);
  }

  @Override
  public HttpResponse failure(int status, String error, String reason) {
    return fallback.failure(status, error, reason);
  }
}
