package dev.warren.broker.management;

import dev.warren.broker.http.HttpRequest;
import dev.warren.broker.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One authorised API request as a controller sees it: the path's placeholders, the user, the query
 * and the JSON body.
 */
public final class ApiCall {
  private final HttpRequest request;
  private final Map<String, String> parameters;
  private final ManagementUser user;
  private Map<String, Object> body;

  ApiCall(HttpRequest request, Map<String, String> parameters, ManagementUser user) {
    this.request = request;
    this.parameters = parameters;
    this.user = user;
  }

  public HttpRequest request() {
    return request;
  }

  /** The user, or null on routes that need no authentication. */
  public ManagementUser user() {
    return user;
  }

  /** A path placeholder's decoded value, e.g. {@code parameter("queue")}; null if absent. */
  public String parameter(String name) {
    return parameters.get(name);
  }

  /**
   * An exchange named in the path: RabbitMQ spells the default exchange {@code amq.default} there.
   */
  public String exchangeParameter(String name) {
    String exchange = parameters.get(name);
    return "amq.default".equals(exchange) ? "" : exchange;
  }

  public String query(String name) {
    return request.queryParameter(name);
  }

  public String header(String name) {
    return request.header(name);
  }

  /** A list reply, sorted by vhost and name unless the query asks otherwise, paged on request. */
  public Object list(List<Map<String, Object>> items) {
    return ListQuery.reply(this, items, List.of("vhost", "name"));
  }

  /** A list reply with other default sort fields. */
  public Object list(List<Map<String, Object>> items, List<String> defaultSort) {
    return ListQuery.reply(this, items, defaultSort);
  }

  /**
   * The body as a JSON object, as RabbitMQ reads it: an empty body or {@code null} is an empty
   * object.
   *
   * @throws ApiException 400 with RabbitMQ's reasons for anything else
   */
  public Map<String, Object> body() {
    if (body == null) {
      body = parse(request.body());
    }
    return body;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8).trim();
    if (text.isEmpty() || text.equals("null") || text.equals("undefined")) {
      return new LinkedHashMap<>();
    }
    Object value;
    try {
      value = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("not_json");
    }
    if (value instanceof Map<?, ?> object) {
      return (Map<String, Object>) object;
    }
    if (value instanceof String) {
      throw ApiException.badRequest(
          "invalid payload: the request body JSON-decoded to a string. Is the input"
              + " doubly-JSON-encoded?");
    }
    if (value == null || value instanceof Boolean) {
      return new LinkedHashMap<>();
    }
    throw ApiException.badRequest("not_json");
  }
}
