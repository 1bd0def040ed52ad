package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ChannelSnapshot;
import dev.warren.broker.engine.api.ConsumerSnapshot;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.Shapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/channels} and {@code /api/consumers}. */
public final class ChannelsController implements Controller {
  private static final List<String> SORT = List.of("name");
  private static final List<String> CONSUMER_SORT = List.of("consumer_tag");

  private final BrokerAdmin broker;

  public ChannelsController(BrokerAdmin broker) {
    this.broker = broker;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/channels", Access.MANAGEMENT, call -> call.list(visible(call, null), SORT))
        .get(
            "/api/vhosts/{vhost}/channels",
            Access.VHOST,
            call -> call.list(visible(call, call.vhost()), SORT))
        .get("/api/channels/{channel}", Access.MANAGEMENT, this::channel)
        .get(
            "/api/consumers",
            Access.MANAGEMENT,
            call -> call.list(consumers(call, null), CONSUMER_SORT))
        .get(
            "/api/consumers/{vhost}",
            Access.VHOST,
            call -> call.list(consumers(call, call.vhost()), CONSUMER_SORT));
  }

  /** The channels of one connection, for {@code /api/connections/{name}/channels}. */
  List<Map<String, Object>> ofConnection(String connection) {
    return broker.channels().stream()
        .filter(c -> c.connection().name().equals(connection))
        .map(this::shape)
        .toList();
  }

  private List<Map<String, Object>> visible(ApiCall call, String vhost) {
    return broker.channels().stream()
        .filter(c -> vhost == null || c.vhost().equals(vhost))
        .filter(c -> call.maySee(c.vhost()) && call.maySeeOwnedBy(c.user()))
        .map(this::shape)
        .toList();
  }

  private Object channel(ApiCall call) {
    String name = call.parameter("channel");
    ChannelSnapshot channel =
        broker.channels().stream()
            .filter(c -> Shapes.channelName(c.connection(), c.number()).equals(name))
            .findFirst()
            .orElseThrow(ApiException::objectNotFound);
    if (!call.maySeeOwnedBy(channel.user())) {
      throw ApiException.notAuthorised("User not authorised to access object");
    }
    Map<String, Object> shape = shape(channel);
    shape.put(
        "consumer_details",
        broker.consumers().stream()
            .filter(
                c ->
                    c.connection().name().equals(channel.connection().name())
                        && c.channel() == channel.number())
            .map(this::consumer)
            .toList());
    return shape;
  }

  private List<Map<String, Object>> consumers(ApiCall call, String vhost) {
    return broker.consumers().stream()
        .filter(c -> vhost == null || c.vhost().equals(vhost))
        .filter(c -> call.maySee(c.vhost()) && call.maySeeOwnedBy(c.user()))
        .map(this::consumer)
        .toList();
  }

  private Map<String, Object> shape(ChannelSnapshot channel) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("acks_uncommitted", channel.uncommittedAcks());
    shape.put("confirm", channel.confirm());
    shape.put("connection_details", Shapes.connectionDetails(channel.connection()));
    shape.put("consumer_count", channel.consumers());
    shape.put("global_prefetch_count", channel.globalPrefetchCount());
    Shapes.messageStats(shape, channel.statistics().messageStats().managementFields());
    shape.put("messages_unacknowledged", channel.unacknowledged());
    shape.put("messages_uncommitted", channel.uncommittedMessages());
    shape.put("messages_unconfirmed", channel.unconfirmed());
    shape.put("name", Shapes.channelName(channel.connection(), channel.number()));
    shape.put("node", broker.identity().node());
    shape.put("number", channel.number());
    shape.put("pending_raft_commands", 0);
    shape.put("prefetch_count", channel.prefetchCount());
    shape.put("state", "running");
    shape.put("transactional", channel.transactional());
    shape.put("user", channel.user());
    shape.put("user_who_performed_action", channel.user());
    shape.put("vhost", channel.vhost());
    return shape;
  }

  /** A consumer as {@code /api/consumers} and a queue's {@code consumer_details} show it. */
  Map<String, Object> consumer(ConsumerSnapshot consumer) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("arguments", consumer.arguments());
    shape.put("ack_required", consumer.ackRequired());
    shape.put("active", consumer.active());
    shape.put("activity_status", consumer.active() ? "up" : "waiting");
    shape.put(
        "channel_details",
        Shapes.channelDetails(
            consumer.connection(), consumer.channel(), consumer.user(), broker.identity().node()));
    shape.put("consumer_tag", consumer.tag());
    shape.put("exclusive", consumer.exclusive());
    shape.put("prefetch_count", consumer.prefetchCount());
    Map<String, Object> queue = new LinkedHashMap<>();
    queue.put("name", consumer.queue());
    queue.put("vhost", consumer.vhost());
    shape.put("queue", queue);
    return shape;
  }
}
