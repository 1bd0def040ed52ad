package dev.warren.broker.ctl;

import static dev.warren.broker.ctl.ManagementClient.segment;

import dev.warren.broker.ctl.Listing.Column;
import dev.warren.broker.json.Json;
import java.util.List;
import java.util.Map;

/**
 * rabbitmqctl's list commands over the management API. Columns that name an Erlang process ({@code
 * pid}, {@code channel_pid}) show the connection's or channel's name instead, the management API's
 * identifier for them, which {@code close_connection} takes.
 */
final class Listings {
  private Listings() {}

  static final List<Listing> ALL =
      List.of(
          queues(),
          exchanges(),
          bindings(),
          connections(),
          channels(),
          consumers(),
          users(),
          vhosts(),
          permissions(),
          policies());

  private static Listing queues() {
    List<String> keys =
        List.of(
            "arguments",
            "auto_delete",
            "consumer_capacity",
            "consumer_utilisation",
            "consumers",
            "disk_reads",
            "disk_writes",
            "durable",
            "exclusive",
            "exclusive_consumer_pid",
            "exclusive_consumer_tag",
            "head_message_timestamp",
            "leader",
            "members",
            "memory",
            "message_bytes",
            "message_bytes_persistent",
            "message_bytes_ram",
            "message_bytes_ready",
            "message_bytes_unacknowledged",
            "messages",
            "messages_persistent",
            "messages_ram",
            "messages_ready",
            "messages_ready_ram",
            "messages_unacknowledged",
            "messages_unacknowledged_ram",
            "name",
            "online",
            "owner_pid",
            "pid",
            "policy",
            "slave_pids",
            "state",
            "synchronised_slave_pids",
            "type");
    return new Listing(
        "list_queues",
        o -> "queues/" + segment(o.vhost()),
        o ->
            List.of(
                "Timeout: " + o.timeoutSeconds() + ".0 seconds ...",
                "Listing queues for vhost " + o.vhost() + " ..."),
        List.of("name", "messages"),
        Listing.columns(keys, Map.of("arguments", Column.field("arguments", Kind.TABLE))),
        true,
        true);
  }

  private static Listing exchanges() {
    return new Listing(
        "list_exchanges",
        o -> "exchanges/" + segment(o.vhost()),
        o -> List.of("Listing exchanges for vhost " + o.vhost() + " ..."),
        List.of("name", "type"),
        Listing.columns(
            List.of("arguments", "auto_delete", "durable", "internal", "name", "policy", "type"),
            Map.of("arguments", Column.field("arguments", Kind.TABLE))),
        true,
        true);
  }

  private static Listing bindings() {
    List<String> keys =
        List.of(
            "source_name",
            "source_kind",
            "destination_name",
            "destination_kind",
            "routing_key",
            "arguments");
    return new Listing(
        "list_bindings",
        o -> "bindings/" + segment(o.vhost()),
        o -> List.of("Listing bindings for vhost " + o.vhost() + "..."),
        keys,
        Listing.columns(
            keys,
            Map.of(
                "source_name", Column.field("source"),
                "source_kind", Column.constant("exchange"),
                "destination_name", Column.field("destination"),
                "destination_kind", Column.field("destination_type"),
                "arguments", Column.field("arguments", Kind.TABLE))),
        true,
        true);
  }

  private static Listing connections() {
    List<String> keys =
        List.of(
            "auth_mechanism",
            "channel_max",
            "channels",
            "client_properties",
            "connected_at",
            "frame_max",
            "host",
            "name",
            "peer_cert_issuer",
            "peer_cert_subject",
            "peer_cert_validity",
            "peer_host",
            "peer_port",
            "pid",
            "port",
            "protocol",
            "recv_cnt",
            "recv_oct",
            "send_cnt",
            "send_oct",
            "send_pend",
            "ssl",
            "ssl_cipher",
            "ssl_hash",
            "ssl_key_exchange",
            "ssl_protocol",
            "state",
            "timeout",
            "user",
            "vhost");
    return new Listing(
        "list_connections",
        o -> "connections",
        o -> List.of("Listing connections ..."),
        List.of("user", "peer_host", "peer_port", "state"),
        Listing.columns(
            keys,
            Map.of(
                "pid", Column.field("name"),
                "client_properties", Column.field("client_properties", Kind.TABLE),
                "host", Column.field("host", Kind.ADDRESS),
                "peer_host", Column.field("peer_host", Kind.ADDRESS),
                "protocol", Column.field("protocol", Kind.PROTOCOL))),
        true,
        true);
  }

  private static Listing channels() {
    List<String> keys =
        List.of(
            "acks_uncommitted",
            "confirm",
            "connection",
            "consumer_count",
            "global_prefetch_count",
            "messages_unacknowledged",
            "messages_uncommitted",
            "messages_unconfirmed",
            "name",
            "number",
            "pid",
            "prefetch_count",
            "transactional",
            "user",
            "vhost");
    return new Listing(
        "list_channels",
        o -> "channels",
        o -> List.of("Listing channels ..."),
        List.of("pid", "user", "consumer_count", "messages_unacknowledged"),
        Listing.columns(
            keys,
            Map.of(
                "pid", Column.field("name"),
                "connection", Column.nested("connection_details", "name"))),
        true,
        true);
  }

  private static Listing consumers() {
    List<String> keys =
        List.of(
            "queue_name",
            "channel_pid",
            "consumer_tag",
            "ack_required",
            "prefetch_count",
            "active",
            "activity_status",
            "arguments");
    return new Listing(
        "list_consumers",
        o -> "consumers/" + segment(o.vhost()),
        o -> List.of("Listing consumers in vhost " + o.vhost() + " ..."),
        List.of(
            "queue_name",
            "channel_pid",
            "consumer_tag",
            "ack_required",
            "prefetch_count",
            "active",
            "arguments"),
        Listing.columns(
            keys,
            Map.of(
                "queue_name", Column.nested("queue", "name"),
                "channel_pid", Column.nested("channel_details", "name"),
                "arguments", Column.field("arguments", Kind.TABLE))),
        true,
        true);
  }

  private static Listing users() {
    List<String> keys = List.of("user", "tags");
    return new Listing(
        "list_users",
        o -> "users",
        o -> List.of("Listing users ..."),
        keys,
        Listing.columns(
            keys, Map.of("user", Column.field("name"), "tags", Column.field("tags", Kind.TAGS))),
        false,
        true);
  }

  private static Listing vhosts() {
    return new Listing(
        "list_vhosts",
        o -> "vhosts",
        o -> List.of("Listing vhosts ..."),
        List.of("name"),
        Listing.columns(
            List.of(
                "cluster_state", "default_queue_type", "description", "name", "tags", "tracing"),
            Map.of("tags", Column.field("tags", Kind.TAGS))),
        true,
        true);
  }

  private static Listing permissions() {
    List<String> keys = List.of("user", "configure", "write", "read");
    return new Listing(
        "list_permissions",
        o -> "vhosts/" + segment(o.vhost()) + "/permissions",
        o -> List.of("Listing permissions for vhost \"" + o.vhost() + "\" ..."),
        keys,
        Listing.columns(keys, Map.of()),
        false,
        false);
  }

  private static Listing policies() {
    List<String> keys = List.of("vhost", "name", "pattern", "apply-to", "definition", "priority");
    return new Listing(
        "list_policies",
        o -> "policies/" + segment(o.vhost()),
        o -> List.of("Listing policies for vhost \"" + o.vhost() + "\" ..."),
        keys,
        Listing.columns(keys, Map.of("definition", new Column(Kind.PLAIN, row -> definition(row)))),
        false,
        false);
  }

  /** rabbitmqctl prints a policy's definition as the JSON text it was given. */
  private static String definition(Map<?, ?> row) {
    Object definition = row.get("definition");
    return definition instanceof String text ? text : Json.writeForTerminal(definition);
  }
}
