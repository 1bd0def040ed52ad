package dev.warren.broker.management;

import dev.warren.broker.definitions.InvalidDefinitionException;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.http.HttpRequest;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.http.Router;
import java.util.Map;

/**
 * The API's route table as controllers see it: each route names what it demands of the user ({@link
 * Access}) and an operation that returns a JSON value (200), null (204) or a ready {@link
 * HttpResponse}. Authentication, the tag check, and turning refusals into RabbitMQ's error bodies
 * happen here, once for every route.
 */
public final class ApiRoutes {

  /** One route's work; runs on an HTTP worker thread. */
  @FunctionalInterface
  public interface Operation {
    Object apply(ApiCall call);
  }

  private final BrokerAdmin broker;
  private final Router router;
  private final Authorisation authorisation;

  ApiRoutes(BrokerAdmin broker, Router router, Authorisation authorisation) {
    this.broker = broker;
    this.router = router;
    this.authorisation = authorisation;
  }

  public Authorisation authorisation() {
    return authorisation;
  }

  public ApiRoutes get(String pattern, Access access, Operation operation) {
    router.get(pattern, handler(access, operation));
    return this;
  }

  public ApiRoutes put(String pattern, Access access, Operation operation) {
    router.put(pattern, handler(access, operation));
    return this;
  }

  public ApiRoutes post(String pattern, Access access, Operation operation) {
    router.post(pattern, handler(access, operation));
    return this;
  }

  public ApiRoutes delete(String pattern, Access access, Operation operation) {
    router.delete(pattern, handler(access, operation));
    return this;
  }

  private Router.Handler handler(Access access, Operation operation) {
    return (request, parameters) -> {
      try {
        ManagementUser user = access == Access.NONE ? null : authorisation.authenticate(request);
        if (user != null) {
          authorisation.check(access, user, parameters.get("vhost"));
        }
        ApiCall call = new ApiCall(broker, authorisation, request, parameters, user);
        return answer(request, operation.apply(call));
      } catch (ApiException e) {
        return fromUi(request) && e.status() == 401
            ? HttpResponse.error(e.status(), e.error(), e.reason())
            : error(e);
      } catch (BrokerException e) {
        return error(refusal(e));
      } catch (InvalidDefinitionException e) {
        return error(ApiException.badRequest(e.getMessage()));
      }
    };
  }

  /**
   * The web UI's own calls (marked {@code X-Requested-With: XMLHttpRequest}) get their 401 without
   * RabbitMQ's Basic challenge: a browser answers a challenge to a script's request with its own
   * login dialog (a headless one waits forever), and the UI has its login form.
   */
  private static boolean fromUi(HttpRequest request) {
    return "XMLHttpRequest".equalsIgnoreCase(request.header("X-Requested-With"));
  }

  private static HttpResponse answer(HttpRequest request, Object result) {
    if (result instanceof HttpResponse response) {
      return response;
    }
    if (result == null) {
      return HttpResponse.empty(204);
    }
    Object selected =
        result instanceof Map<?, ?>
            ? ListQuery.Columns.select(result, request.queryParameter("columns"))
            : result;
    return ok(selected);
  }

  /** A 200 JSON answer, never cached (the broker's state changes all the time). */
  static HttpResponse ok(Object json) {
    return HttpResponse.json(200, json).withHeader("Cache-Control", "no-cache");
  }

  /**
   * How RabbitMQ reports an AMQP refusal of an operation made for an API call: 404 for not found,
   * 401 for access refused, 500 for an internal error (a cluster's metadata store that cannot reach
   * a majority in time), 400 with the reply text for every other rule.
   */
  static ApiException refusal(BrokerException e) {
    return switch (e.replyCode()) {
      case NOT_FOUND -> ApiException.notFound(e.getMessage());
      case ACCESS_REFUSED, NOT_ALLOWED -> ApiException.notAuthorised(e.getMessage());
      case INTERNAL_ERROR -> new ApiException(500, "internal_server_error", e.getMessage());
      default -> ApiException.badRequest(e.getMessage());
    };
  }

  static HttpResponse error(ApiException e) {
    HttpResponse response = HttpResponse.error(e.status(), e.error(), e.reason());
    if (e.status() == 401) {
      response = response.withHeader("WWW-Authenticate", "Basic realm=\"Warren Management\"");
    }
    return response;
  }
}
