package dev.warren.broker.management;

import dev.warren.broker.engine.api.ConnectionDetails;
import dev.warren.broker.engine.api.MessageTotals;
import dev.warren.broker.engine.api.Rated;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON shapes that several resources share: how a connection or channel is referred to from others,
 * sampled rates and message statistics. Each resource's own shape is built by its controller.
 */
public final class Shapes {
  private static final DateTimeFormatter IDLE_SINCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

  private Shapes() {}

  /** RabbitMQ's {@code connection_details} (and an exclusive queue's {@code owner_pid_details}). */
  public static Map<String, Object> connectionDetails(ConnectionDetails connection) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", connection.name());
    details.put("peer_port", connection.peerPort() < 0 ? null : connection.peerPort());
    details.put("peer_host", connection.peerHost());
    return details;
  }

  /**
   * A channel's name: its connection's and its number, e.g. {@code 1.2.3.4:5 -> 6.7.8.9:5672 (1)}.
   */
  public static String channelName(ConnectionDetails connection, int number) {
    return connection.name() + " (" + number + ")";
  }

  /** RabbitMQ's {@code channel_details}, as consumers refer to their channel. */
  public static Map<String, Object> channelDetails(
      ConnectionDetails connection, int number, String user, String node) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("connection_name", connection.name());
    details.put("name", channelName(connection, number));
    details.put("node", node);
    details.put("number", number);
    details.put("peer_host", connection.peerHost());
    details.put("peer_port", connection.peerPort() < 0 ? null : connection.peerPort());
    details.put("user", user);
    return details;
  }

  /** A {@code _details} object: the rate per second over the last sampling interval. */
  public static Map<String, Object> rate(double perSecond) {
    return Map.of("rate", perSecond);
  }

  /** Puts a count or a level and its {@code _details} into a shape. */
  public static void rated(Map<String, Object> shape, String name, long value, double rate) {
    shape.put(name, value);
    shape.put(name + "_details", rate(rate));
  }

  /** Puts a count or a level and its {@code _details} into a shape. */
  public static void rated(Map<String, Object> shape, String name, Rated value) {
    rated(shape, name, value.value(), value.rate());
  }

  /**
   * RabbitMQ's {@code message_stats}: each counter as {@code name} and {@code name_details}.
   *
   * @param fields the counters under their management names
   */
  public static Map<String, Object> messageStats(Map<String, Rated> fields) {
    Map<String, Object> stats = new LinkedHashMap<>();
    fields.forEach((name, value) -> rated(stats, name, value));
    return stats;
  }

  /**
   * Puts {@code message_stats} into an object's shape once it has counted something: RabbitMQ shows
   * none for an object that never saw a message.
   */
  public static void messageStats(Map<String, Object> shape, Map<String, Rated> fields) {
    if (fields.values().stream().anyMatch(value -> value.value() != 0)) {
      shape.put("message_stats", messageStats(fields));
    }
  }

  /** The message levels as RabbitMQ's queues, vhosts and queue_totals show them. */
  public static void levels(
      Map<String, Object> shape, long ready, long unacked, MessageTotals rates) {
    rated(shape, "messages", ready + unacked, rates.messages().rate());
    rated(shape, "messages_ready", ready, rates.ready().rate());
    rated(shape, "messages_unacknowledged", unacked, rates.unacknowledged().rate());
  }

  /** RabbitMQ's timestamp format for {@code idle_since}. */
  public static String timestamp(long epochMillis) {
    return IDLE_SINCE.format(Instant.ofEpochMilli(epochMillis));
  }
}
