package dev.warren.broker.management;

import dev.warren.broker.engine.api.ConnectionDetails;
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

  /**
   * A gauge's {@code _details} object. Warren does not sample gauges over time yet, so the rate is
   * 0.0; this is the one place a sampled rate goes in.
   */
  public static Map<String, Object> rate() {
    return Map.of("rate", 0.0);
  }

  /** Puts a gauge and its {@code _details} into a shape. */
  public static void gauge(Map<String, Object> shape, String name, long value) {
    shape.put(name, value);
    shape.put(name + "_details", rate());
  }

  /** RabbitMQ's timestamp format for {@code idle_since}. */
  public static String timestamp(long epochMillis) {
    return IDLE_SINCE.format(Instant.ofEpochMilli(epochMillis));
  }
}
