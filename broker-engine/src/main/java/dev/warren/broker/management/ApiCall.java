package dev.warren.broker.management;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.http.HttpRequest;
import dev.warren.broker.http.HttpResponse;
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
  private final BrokerAdmin broker;
  private final Authorisation authorisation;
  private final HttpRequest request;
  private final Map<String, String> parameters;
  private final ManagementUser user;
  private Map<String, Object> body;

  ApiCall(
      BrokerAdmin broker,
      Authorisation authorisation,
      HttpRequest request,
      Map<String, String> parameters,
      ManagementUser user) {
    this.broker = broker;
    this.authorisation = authorisation;
    this.request = request;
    this.parameters = parameters;
    this.user = user;
  }

  /**
   * The vhost named by the path, which must exist.
   *
   * @throws ApiException 404 as RabbitMQ answers a read of a missing vhost's objects
   */
  public String vhost() {
    String vhost = parameters.get("vhost");
    if (vhost == null || broker.definitions().virtualHost(vhost) == null) {
      throw ApiException.objectNotFound();
    }
    return vhost;
  }

  /**
   * The vhost named by the path, for a change, which must exist.
   *
   * @throws ApiException 404 {@code vhost_not_found}, as RabbitMQ answers a write
   */
  public String vhostForChange() {
    String vhost = parameters.get("vhost");
    if (vhost == null || broker.definitions().virtualHost(vhost) == null) {
      throw ApiException.notFound("vhost_not_found");
    }
    return vhost;
  }

  /** Whether the user may see what is in this vhost (lists leave out what it may not). */
  public boolean maySee(String vhost) {
    return user == null || authorisation.maySee(user, vhost);
  }

  /** Closing a connection: administrators any, others only their own. */
  public void requireMayClose(String owner) {
    authorisation.checkMayClose(user, owner);
  }

  public BrokerAdmin broker() {
    return broker;
  }

  /** Whether the user may see a connection's, channel's or consumer's details. */
  public boolean maySeeOwnedBy(String owner) {
    return user == null || authorisation.maySeeOwnedBy(user, owner);
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
  public HttpResponse list(List<Map<String, Object>> items) {
    return ListQuery.reply(this, items, List.of("vhost", "name"));
  }

  /** A list reply with other default sort fields. */
  public HttpResponse list(List<Map<String, Object>> items, List<String> defaultSort) {
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

  /**
   * Checks that the body has these fields.
   *
   * @throws ApiException 400 with RabbitMQ's {@code [{key_missing,name}]} reason
   */
  public void requireFields(String... names) {
    List<String> missing = new java.util.ArrayList<>();
    for (String name : names) {
      if (body().get(name) == null) {
        missing.add("{key_missing," + name + "}");
      }
    }
    if (!missing.isEmpty()) {
      throw ApiException.badRequest("[" + String.join(",", missing) + "]");
    }
  }

  /**
   * A boolean field; RabbitMQ also takes the strings "true" and "false" (rabbitmqadmin sends
   * those).
   */
  public boolean flag(String name, boolean absent) {
    Object value = body().get(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value)) {
      return true;
    }
    if ("false".equals(value)) {
      return false;
    }
    throw ApiException.badRequest("not_boolean: " + value);
  }

  /** A string field, or {@code absent}. */
  public String text(String name, String absent) {
    Object value = body().get(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof String text) {
      return text;
    }
    throw ApiException.badRequest(name + " must be a string");
  }

  /** An integer field (or a string holding one), or {@code absent}. */
  public long integer(String name, long absent) {
    Object value = body().get(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof Long number) {
      return number;
    }
    if (value instanceof String text) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw ApiException.badRequest(name + " must be an integer, not " + value);
  }

  /** An object field (e.g. arguments), or an empty map. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> object(String name) {
    Object value = body().get(name);
    if (value == null) {
      return new LinkedHashMap<>();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw ApiException.badRequest(name + " must be an object");
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
