package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.engine.api.NodeResources;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.UserChannel;
import dev.warren.broker.protocol.BasicProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * RabbitMQ's health checks ({@code /api/health/checks/...}): 200 {@code {"status":"ok"}}, or 503
 * with {@code "status":"failed"} and a reason. As in RabbitMQ, {@code is-in-service} and {@code
 * ready-to-serve-clients} answer without authentication (for probes), the others need a management
 * user. The legacy {@code aliveness-test} publishes and gets a message in a vhost.
 */
public final class HealthController implements Controller {
  private static final int FAILED = 503;

  private final BrokerAdmin broker;

  public HealthController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    String checks = "/api/health/checks/";
    routes
        .get(checks + "alarms", Access.MANAGEMENT, call -> alarms("cluster"))
        .get(checks + "local-alarms", Access.MANAGEMENT, call -> alarms("node"))
        .get(checks + "virtual-hosts", Access.MANAGEMENT, call -> ok())
        .get(checks + "node-is-quorum-critical", Access.MANAGEMENT, call -> ok())
        .get(checks + "node-is-mirror-sync-critical", Access.MANAGEMENT, call -> ok())
        .get(checks + "port-listener/{port}", Access.MANAGEMENT, this::portListener)
        .get(checks + "protocol-listener/{protocol}", Access.MANAGEMENT, this::protocolListener)
        .get(checks + "is-in-service", Access.NONE, call -> ok())
        .get(checks + "ready-to-serve-clients", Access.NONE, call -> readyToServe())
        .get("/api/healthchecks/node", Access.MANAGEMENT, call -> ok())
        .get("/api/aliveness-test/{vhost}", Access.VHOST, this::aliveness);
  }

  private static Map<String, Object> ok() {
    return Map.of("status", "ok");
  }

  private static HttpResponse failed(String reason, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "failed");
    body.put("reason", reason);
    body.putAll(details);
    return HttpResponse.json(FAILED, body);
  }

  private Object alarms(String scope) {
    NodeResources resources = broker.resources();
    List<Map<String, Object>> alarms = new ArrayList<>();
    if (resources.memoryAlarm()) {
      alarms.add(Map.of("node", broker.identity().node(), "resource", "memory"));
    }
    if (resources.diskAlarm()) {
      alarms.add(Map.of("node", broker.identity().node(), "resource", "disk"));
    }
    if (alarms.isEmpty()) {
      return ok();
    }
    return failed("There are alarms in effect in the " + scope, Map.of("alarms", alarms));
  }

  private Object portListener(ApiCall call) {
    int port;
    try {
      port = Integer.parseInt(call.parameter("port"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid port");
    }
    List<Integer> ports = broker.listeners().stream().map(ListenerInfo::port).toList();
    if (ports.contains(port)) {
      return Map.of("status", "ok", "port", port);
    }
    return failed("No active listener", Map.of("missing", port, "ports", ports));
  }

  /**
   * Protocol names as RabbitMQ normalises them: amqp091, amqp0-9-1 ... are amqp, amqps amqp/ssl.
   */
  private Object protocolListener(ApiCall call) {
    String protocol = normalise(call.parameter("protocol"));
    List<String> protocols = broker.listeners().stream().map(ListenerInfo::protocol).toList();
    if (protocols.contains(protocol)) {
      return Map.of("status", "ok", "protocol", protocol);
    }
    return failed("No active listener", Map.of("missing", protocol, "protocols", protocols));
  }

  private static String normalise(String protocol) {
    String lower = protocol.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "amqp091", "amqp0.9.1", "amqp0-9-1", "amqp0_9_1" -> "amqp";
      case "amqps" -> "amqp/ssl";
      default -> lower;
    };
  }

  /** Serving AMQP clients: an AMQP listener is open (and no resource alarm blocks publishers). */
  private Object readyToServe() {
    boolean listening = broker.listeners().stream().anyMatch(l -> l.protocol().startsWith("amqp"));
    if (!listening) {
      return failed("no connection listeners are available", Map.of());
    }
    return ok();
  }

  /** RabbitMQ's legacy check: a queue of its own in the vhost, one message through it. */
  private Object aliveness(ApiCall call) {
    String vhost = call.vhost();
    byte[] body = "test_message".getBytes(StandardCharsets.UTF_8);
    Optional<GetResult> got =
        UserChannel.with(
            call,
            vhost,
            session -> {
              session
                  .channel()
                  .declareQueue(
                      new QueueDeclaration("aliveness-test", false, false, false, Map.of()));
              session.channel().publish("", "aliveness-test", false, BasicProperties.EMPTY, body);
              return session.channel().get("aliveness-test", true);
            });
    if (got.isEmpty()) {
      return failed("aliveness-test queue empty", Map.of());
    }
    return ok();
  }
}
