package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.ExchangeSnapshot;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.AmqpJson;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.Shapes;
import dev.warren.broker.management.UserChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/exchanges}: list, show, declare (PUT), delete, and publish a message (the reply says
 * whether a queue took it). The default exchange is {@code amq.default} in paths.
 */
public final class ExchangesController implements Controller {
  private final BrokerAdmin broker;

  public ExchangesController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/exchanges", Access.MANAGEMENT, call -> call.list(visible(call, null)))
        .get("/api/exchanges/{vhost}", Access.VHOST, call -> call.list(visible(call, call.vhost())))
        .get("/api/exchanges/{vhost}/{exchange}", Access.VHOST, this::show)
        .put("/api/exchanges/{vhost}/{exchange}", Access.VHOST, this::declare)
        .delete("/api/exchanges/{vhost}/{exchange}", Access.VHOST, this::delete)
        .post("/api/exchanges/{vhost}/{exchange}/publish", Access.VHOST, this::publish);
  }

  private List<Map<String, Object>> visible(ApiCall call, String vhost) {
    return broker.exchanges(vhost).stream()
        .filter(e -> call.maySee(e.vhost()))
        .map(ExchangesController::shape)
        .toList();
  }

  /** The exchange the path names, which must exist. */
  static ExchangeSnapshot find(BrokerAdmin broker, ApiCall call) {
    String vhost = call.vhost();
    String name = call.exchangeParameter("exchange");
    return broker.exchanges(vhost).stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(ApiException::objectNotFound);
  }

  private Object show(ApiCall call) {
    Map<String, Object> shape = shape(find(broker, call));
    shape.put("incoming", List.of());
    shape.put("outgoing", List.of());
    return shape;
  }

  /** 201 if the exchange is new, 204 if an equivalent one was there. */
  private Object declare(ApiCall call) {
    String vhost = call.vhostForChange();
    String name = call.exchangeParameter("exchange");
    boolean existed = broker.exchanges(vhost).stream().anyMatch(e -> e.name().equals(name));
    ExchangeDeclaration declaration =
        new ExchangeDeclaration(
            name,
            call.text("type", "direct"),
            call.flag("durable", true),
            call.flag("auto_delete", false),
            call.flag("internal", false),
            call.object("arguments"));
    UserChannel.with(
        call,
        vhost,
        session -> {
          session.channel().declareExchange(declaration);
          return null;
        });
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object delete(ApiCall call) {
    ExchangeSnapshot exchange = find(broker, call);
    boolean ifUnused = "true".equals(call.query("if-unused"));
    UserChannel.with(
        call,
        exchange.vhost(),
        session -> {
          session.channel().deleteExchange(exchange.name(), ifUnused);
          return null;
        });
    return null;
  }

  private Object publish(ApiCall call) {
    ExchangeSnapshot exchange = find(broker, call);
    call.requireFields("routing_key", "properties", "payload", "payload_encoding");
    if (!(call.body().get("payload") instanceof String payload)) {
      throw ApiException.badRequest("payload_not_string");
    }
    byte[] body =
        switch (call.text("payload_encoding", "string")) {
          case "string" -> payload.getBytes(StandardCharsets.UTF_8);
          case "base64" -> base64(payload);
          default -> throw ApiException.badRequest("invalid_payload_encoding");
        };
    String routingKey = call.text("routing_key", "");
    boolean routed =
        UserChannel.with(
            call,
            exchange.vhost(),
            session ->
                session.publishConfirmed(
                    exchange.name(),
                    routingKey,
                    AmqpJson.toProperties(call.body().get("properties")),
                    body));
    return Map.of("routed", routed);
  }

  private static byte[] base64(String payload) {
    try {
      return Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("not_base64");
    }
  }

  static Map<String, Object> shape(ExchangeSnapshot exchange) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("arguments", AmqpJson.table(exchange.arguments()));
    shape.put("auto_delete", exchange.autoDelete());
    shape.put("durable", exchange.durable());
    shape.put("internal", exchange.internal());
    Shapes.messageStats(shape, exchange.statistics().managementFields());
    shape.put("name", exchange.name());
    if (exchange.policy().policy() != null) {
      shape.put("policy", exchange.policy().policy());
    }
    shape.put("type", exchange.type());
    shape.put("vhost", exchange.vhost());
    return shape;
  }
}
