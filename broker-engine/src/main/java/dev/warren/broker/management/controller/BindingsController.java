package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BindingSnapshot;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ExchangeSnapshot;
import dev.warren.broker.engine.api.QueueSnapshot;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.json.Json;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.AmqpJson;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.UserChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * {@code /api/bindings}: every binding, a vhost's, an exchange's or a queue's; creating one (POST,
 * 201 with its location) and deleting one by its {@code properties_key}: the routing key
 * percent-encoded, then {@code ~} and a hash of the arguments if there are any ({@code ~} alone for
 * neither).
 */
public final class BindingsController implements Controller {
  private static final List<String> SORT =
      List.of("vhost", "source", "destination", "destination_type", "routing_key");

  private final BrokerAdmin broker;

  public BindingsController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    String between = "/api/bindings/{vhost}/e/{source}/{dtype}/{destination}";
    routes
        .get("/api/bindings", Access.MANAGEMENT, call -> call.list(visible(call, null), SORT))
        .get(
            "/api/bindings/{vhost}",
            Access.VHOST,
            call -> call.list(visible(call, call.vhost()), SORT))
        .get(
            "/api/exchanges/{vhost}/{exchange}/bindings/source",
            Access.VHOST,
            call -> exchangeBindings(call, true))
        .get(
            "/api/exchanges/{vhost}/{exchange}/bindings/destination",
            Access.VHOST,
            call -> exchangeBindings(call, false))
        .get("/api/queues/{vhost}/{queue}/bindings", Access.VHOST, this::queueBindings)
        .get(between, Access.VHOST, call -> call.list(between(call), SORT))
        .post(between, Access.VHOST, this::create)
        .get(between + "/{props}", Access.VHOST, call -> shape(one(call)))
        .delete(between + "/{props}", Access.VHOST, this::delete);
  }

  private List<Map<String, Object>> visible(ApiCall call, String vhost) {
    return broker.bindings(vhost).stream()
        .filter(b -> call.maySee(b.vhost()))
        .map(BindingsController::shape)
        .toList();
  }

  private Object exchangeBindings(ApiCall call, boolean asSource) {
    ExchangeSnapshot exchange = ExchangesController.find(broker, call);
    return call.list(
        broker.bindings(exchange.vhost()).stream()
            .filter(
                b ->
                    asSource
                        ? b.source().equals(exchange.name())
                        : !b.toQueue() && b.destination().equals(exchange.name()))
            .map(BindingsController::shape)
            .toList(),
        SORT);
  }

  private Object queueBindings(ApiCall call) {
    QueueSnapshot queue = QueuesController.find(broker, call);
    return call.list(
        broker.bindings(queue.vhost()).stream()
            .filter(b -> b.toQueue() && b.destination().equals(queue.name()))
            .map(BindingsController::shape)
            .toList(),
        SORT);
  }

  private List<Map<String, Object>> between(ApiCall call) {
    String vhost = call.vhost();
    boolean toQueue = toQueue(call);
    String source = call.exchangeParameter("source");
    String destination =
        toQueue ? call.parameter("destination") : call.exchangeParameter("destination");
    requireEnds(vhost, source, destination, toQueue);
    return broker.bindings(vhost).stream()
        .filter(
            b ->
                b.source().equals(source)
                    && b.toQueue() == toQueue
                    && b.destination().equals(destination))
        .map(BindingsController::shape)
        .toList();
  }

  private BindingSnapshot one(ApiCall call) {
    String vhost = call.vhost();
    boolean toQueue = toQueue(call);
    String source = call.exchangeParameter("source");
    String destination =
        toQueue ? call.parameter("destination") : call.exchangeParameter("destination");
    String props = call.parameter("props");
    return broker.bindings(vhost).stream()
        .filter(
            b ->
                b.source().equals(source)
                    && b.toQueue() == toQueue
                    && b.destination().equals(destination)
                    && propertiesKey(b.routingKey(), b.arguments()).equals(props))
        .findFirst()
        .orElseThrow(ApiException::objectNotFound);
  }

  private Object create(ApiCall call) {
    String vhost = call.vhostForChange();
    boolean toQueue = toQueue(call);
    String source = call.exchangeParameter("source");
    String destination =
        toQueue ? call.parameter("destination") : call.exchangeParameter("destination");
    String routingKey = call.text("routing_key", "");
    Map<String, Object> arguments = call.object("arguments");
    UserChannel.with(
        call,
        vhost,
        session -> {
          if (toQueue) {
            session.channel().bindQueue(destination, source, routingKey, arguments);
          } else {
            session.channel().bindExchange(destination, source, routingKey, arguments);
          }
          return null;
        });
    String location =
        "/api/bindings/%s/e/%s/%s/%s/%s"
            .formatted(
                quote(vhost),
                quote(call.parameter("source")),
                call.parameter("dtype"),
                quote(call.parameter("destination")),
                quote(propertiesKey(routingKey, arguments)));
    return HttpResponse.empty(201).withHeader("Location", location);
  }

  private Object delete(ApiCall call) {
    BindingSnapshot binding = one(call);
    UserChannel.with(
        call,
        binding.vhost(),
        session -> {
          if (binding.toQueue()) {
            session
                .channel()
                .unbindQueue(
                    binding.destination(),
                    binding.source(),
                    binding.routingKey(),
                    binding.arguments());
          } else {
            session
                .channel()
                .unbindExchange(
                    binding.destination(),
                    binding.source(),
                    binding.routingKey(),
                    binding.arguments());
          }
          return null;
        });
    return null;
  }

  private void requireEnds(String vhost, String source, String destination, boolean toQueue) {
    boolean sourceExists = broker.exchanges(vhost).stream().anyMatch(e -> e.name().equals(source));
    boolean destinationExists =
        toQueue
            ? broker.queues(vhost).stream().anyMatch(q -> q.name().equals(destination))
            : broker.exchanges(vhost).stream().anyMatch(e -> e.name().equals(destination));
    if (!sourceExists || !destinationExists) {
      throw ApiException.objectNotFound();
    }
  }

  private static boolean toQueue(ApiCall call) {
    return switch (call.parameter("dtype")) {
      case "q" -> true;
      case "e" -> false;
      default -> throw ApiException.objectNotFound();
    };
  }

  static Map<String, Object> shape(BindingSnapshot binding) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("source", binding.source());
    shape.put("vhost", binding.vhost());
    shape.put("destination", binding.destination());
    shape.put("destination_type", binding.toQueue() ? "queue" : "exchange");
    shape.put("routing_key", binding.routingKey());
    shape.put("arguments", AmqpJson.table(binding.arguments()));
    shape.put("properties_key", propertiesKey(binding.routingKey(), binding.arguments()));
    return shape;
  }

  /** RabbitMQ's {@code pack_binding_props}, with a hash of Warren's own for the arguments. */
  static String propertiesKey(String routingKey, Map<String, Object> arguments) {
    if (arguments.isEmpty()) {
      return routingKey.isEmpty() ? "~" : quote(routingKey);
    }
    return quote(routingKey) + "~" + quote(argumentsHash(arguments));
  }

  /** Six URL-safe characters from a CRC of the arguments written canonically (sorted keys). */
  private static String argumentsHash(Map<String, Object> arguments) {
    CRC32 crc = new CRC32();
    crc.update(Json.write(canonical(arguments)).getBytes(StandardCharsets.UTF_8));
    long value = crc.getValue();
    byte[] bytes = {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Object canonical(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
      return sorted;
    }
    return AmqpJson.value(value);
  }

  /** RabbitMQ's quote_plus with {@code ~} escaped too. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_') {
        out.append(c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
  }
}
