package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueSnapshot;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.AmqpJson;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.Shapes;
import dev.warren.broker.management.UserChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/queues}: list, show (with its consumers), declare (PUT), delete ({@code if-unused},
 * {@code if-empty}), purge ({@code DELETE .../contents}) and get messages ({@code POST .../get}).
 */
public final class QueuesController implements Controller {
  private static final List<String> ACK_MODES =
      List.of(
          "ack_requeue_true", "ack_requeue_false", "reject_requeue_true", "reject_requeue_false");

  private final BrokerAdmin broker;
  private final ChannelsController channels;

  public QueuesController(BrokerAdmin broker, ChannelsController channels) {
    this.broker = broker;
    this.channels = channels;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/queues", Access.MANAGEMENT, call -> call.list(visible(call, null)))
        .get("/api/queues/{vhost}", Access.VHOST, call -> call.list(visible(call, call.vhost())))
        .get("/api/queues/{vhost}/{queue}", Access.VHOST, this::show)
        .put("/api/queues/{vhost}/{queue}", Access.VHOST, this::declare)
        .delete("/api/queues/{vhost}/{queue}", Access.VHOST, this::delete)
        .delete("/api/queues/{vhost}/{queue}/contents", Access.VHOST, this::purge)
        .post("/api/queues/{vhost}/{queue}/get", Access.VHOST, this::get);
  }

  private List<Map<String, Object>> visible(ApiCall call, String vhost) {
    return broker.queues(vhost).stream()
        .filter(q -> call.maySee(q.vhost()))
        .map(this::shape)
        .toList();
  }

  /** The queue the path names, which must exist. */
  static QueueSnapshot find(BrokerAdmin broker, ApiCall call) {
    String vhost = call.vhost();
    String name = call.parameter("queue");
    return broker.queues(vhost).stream()
        .filter(q -> q.name().equals(name))
        .findFirst()
        .orElseThrow(ApiException::objectNotFound);
  }

  private Object show(ApiCall call) {
    QueueSnapshot queue = find(broker, call);
    Map<String, Object> shape = shape(queue);
    shape.put(
        "consumer_details",
        broker.consumers().stream()
            .filter(c -> c.vhost().equals(queue.vhost()) && c.queue().equals(queue.name()))
            .map(channels::consumer)
            .toList());
    shape.put("deliveries", List.of());
    shape.put("incoming", List.of());
    return shape;
  }

  /** 201 if the queue is new, 204 if an equivalent one was there. */
  private Object declare(ApiCall call) {
    String vhost = call.vhostForChange();
    String name = call.parameter("queue");
    boolean existed = broker.queues(vhost).stream().anyMatch(q -> q.name().equals(name));
    QueueDeclaration declaration =
        new QueueDeclaration(
            name,
            call.flag("durable", true),
            false,
            call.flag("auto_delete", false),
            call.object("arguments"));
    UserChannel.with(call, vhost, session -> session.channel().declareQueue(declaration));
    return HttpResponse.empty(existed ? 204 : 201);
  }

  private Object delete(ApiCall call) {
    QueueSnapshot queue = find(broker, call);
    boolean ifUnused = "true".equals(call.query("if-unused"));
    boolean ifEmpty = "true".equals(call.query("if-empty"));
    UserChannel.with(
        call,
        queue.vhost(),
        session -> session.channel().deleteQueue(queue.name(), ifUnused, ifEmpty));
    return null;
  }

  private Object purge(ApiCall call) {
    QueueSnapshot queue = find(broker, call);
    UserChannel.with(call, queue.vhost(), session -> session.channel().purgeQueue(queue.name()));
    return null;
  }

  /**
   * RabbitMQ's get: {@code count} messages with basic.get; {@code ack_requeue_true} gets them with
   * acknowledgement and lets the channel's close requeue them, the reject modes reject them after
   * all are fetched (so the same message is not fetched twice).
   */
  private Object get(ApiCall call) {
    QueueSnapshot queue = find(broker, call);
    call.requireFields("ackmode", "count", "encoding");
    String ackMode = call.text("ackmode", "");
    if (!ACK_MODES.contains(ackMode)) {
      throw ApiException.badRequest("invalid ackmode: " + ackMode);
    }
    String encoding = call.text("encoding", "auto");
    if (!encoding.equals("auto") && !encoding.equals("base64")) {
      throw ApiException.badRequest("Unsupported encoding. Please use auto or base64.");
    }
    long count = call.integer("count", 1);
    long truncate = call.integer("truncate", -1);
    boolean noAck = ackMode.equals("ack_requeue_false");
    return UserChannel.with(
        call,
        queue.vhost(),
        session -> {
          List<Map<String, Object>> messages = new ArrayList<>();
          List<Long> tags = new ArrayList<>();
          for (long i = 0; i < count; i++) {
            Optional<GetResult> got = session.channel().get(queue.name(), noAck);
            if (got.isEmpty()) {
              break;
            }
            tags.add(got.get().deliveryTag());
            messages.add(message(got.get(), encoding, truncate));
          }
          if (ackMode.startsWith("reject")) {
            boolean requeue = ackMode.equals("reject_requeue_true");
            tags.forEach(tag -> session.channel().reject(tag, requeue));
          }
          return messages;
        });
  }

  private static Map<String, Object> message(GetResult got, String encoding, long truncate) {
    byte[] body = got.body();
    byte[] shown =
        truncate >= 0 && body.length > truncate ? Arrays.copyOf(body, (int) truncate) : body;
    String[] payload = AmqpJson.payload(shown, encoding);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("payload_bytes", body.length);
    message.put("redelivered", got.redelivered());
    message.put("exchange", got.exchange());
    message.put("routing_key", got.routingKey());
    message.put("message_count", got.messageCount());
    message.put("properties", AmqpJson.properties(got.properties()));
    message.put("payload", payload[0]);
    message.put("payload_encoding", payload[1]);
    return message;
  }

  Map<String, Object> shape(QueueSnapshot queue) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("arguments", AmqpJson.table(queue.arguments()));
    shape.put("auto_delete", queue.autoDelete());
    shape.put("consumers", queue.consumers());
    shape.put("durable", queue.durable());
    shape.put("effective_policy_definition", queue.policy().definition());
    shape.put("exclusive", queue.exclusive());
    shape.put("exclusive_consumer_tag", queue.exclusiveConsumerTag());
    shape.put("head_message_timestamp", null);
    shape.put("idle_since", Shapes.timestamp(queue.idleSince()));
    shape.put("message_bytes", queue.readyBytes() + queue.unacknowledgedBytes());
    shape.put("message_bytes_ready", queue.readyBytes());
    shape.put("message_bytes_unacknowledged", queue.unacknowledgedBytes());
    Shapes.messageStats(shape, queue.statistics().messageStats().managementFields());
    Shapes.levels(shape, queue.ready(), queue.unacknowledged(), queue.statistics().totals());
    shape.put("name", queue.name());
    if (queue.replicas() == null) {
      shape.put("node", broker.identity().node());
    } else {
      // a quorum queue, as RabbitMQ shows it: its node is its leader's
      shape.put("node", queue.replicas().leader());
      shape.put("leader", queue.replicas().leader());
      shape.put("members", queue.replicas().members());
      shape.put("online", queue.replicas().online());
    }
    shape.put("operator_policy", queue.policy().operatorPolicy());
    if (queue.owner() != null) {
      shape.put("owner_pid_details", Shapes.connectionDetails(queue.owner()));
    }
    shape.put("policy", queue.policy().policy());
    shape.put("recoverable_slaves", null);
    shape.put("single_active_consumer_tag", queue.singleActiveConsumerTag());
    shape.put("state", "running");
    shape.put("type", queue.type());
    shape.put("vhost", queue.vhost());
    return shape;
  }
}
