package dev.warren.broker.management;

import java.util.Map;
import java.util.Set;

/**
 * The fields of RabbitMQ 3.10.8's answers that Warren does not serve, by resource, as README lists
 * them: Erlang runtime figures (garbage collection, reductions, memory of processes), byte and the
 * classic queue's internal paging figures, and the management plugin's UI extensions. Message
 * statistics are served, but only once an object has counted something, and RabbitMQ shows them a
 * few seconds after the fact: {@code message_stats} Warren shows before RabbitMQ does is allowed.
 */
final class UnservedFields {
  private static final Set<String> ERLANG =
      Set.of("garbage_collection", "reductions", "reductions_details");

  private static final Map<String, Set<String>> BY_RESOURCE =
      Map.ofEntries(
          Map.entry(
              "overview",
              Set.of("erlang_version", "erlang_full_version", "release_series_support_status")),
          Map.entry(
              "queue",
              with(
                  ERLANG,
                  "backing_queue_status",
                  "memory",
                  "message_bytes_paged_out",
                  "message_bytes_persistent",
                  "message_bytes_ram",
                  "messages_paged_out",
                  "messages_persistent",
                  "messages_ram",
                  "messages_ready_ram",
                  "messages_unacknowledged_ram",
                  "consumer_capacity",
                  "consumer_utilisation",
                  "items.backing_queue_status",
                  "items.garbage_collection",
                  "items.memory",
                  "items.reductions",
                  "items.reductions_details",
                  "items.message_bytes_paged_out",
                  "items.message_bytes_persistent",
                  "items.message_bytes_ram",
                  "items.messages_paged_out",
                  "items.messages_persistent",
                  "items.messages_ram",
                  "items.messages_ready_ram",
                  "items.messages_unacknowledged_ram",
                  "items.consumer_capacity",
                  "items.consumer_utilisation")),
          Map.entry("exchange", Set.of("user_who_performed_action")),
          Map.entry("extensions", Set.of("javascript")),
          Map.entry("connection", ERLANG),
          Map.entry("channel", with(ERLANG, "idle_since")),
          Map.entry(
              "node",
              Set.of(
                  "applications",
                  "cluster_links",
                  "config_files",
                  "context_switches",
                  "context_switches_details",
                  "db_dir",
                  "disk_free_details",
                  "fd_used_details",
                  "gc_bytes_reclaimed",
                  "gc_bytes_reclaimed_details",
                  "gc_num",
                  "gc_num_details",
                  "io_read_avg_time",
                  "io_read_avg_time_details",
                  "io_read_bytes",
                  "io_read_bytes_details",
                  "io_read_count",
                  "io_read_count_details",
                  "io_reopen_count",
                  "io_reopen_count_details",
                  "io_seek_avg_time",
                  "io_seek_avg_time_details",
                  "io_seek_count",
                  "io_seek_count_details",
                  "io_sync_avg_time",
                  "io_sync_avg_time_details",
                  "io_sync_count",
                  "io_sync_count_details",
                  "io_write_avg_time",
                  "io_write_avg_time_details",
                  "io_write_bytes",
                  "io_write_bytes_details",
                  "io_write_count",
                  "io_write_count_details",
                  "log_files",
                  "mem_used_details",
                  "metrics_gc_queue_length",
                  "mnesia_disk_tx_count",
                  "mnesia_disk_tx_count_details",
                  "mnesia_ram_tx_count",
                  "mnesia_ram_tx_count_details",
                  "msg_store_read_count",
                  "msg_store_read_count_details",
                  "msg_store_write_count",
                  "msg_store_write_count_details",
                  "net_ticktime",
                  "proc_total",
                  "proc_used",
                  "proc_used_details",
                  "queue_index_read_count",
                  "queue_index_read_count_details",
                  "queue_index_write_count",
                  "queue_index_write_count_details",
                  "ra_open_file_metrics",
                  "run_queue",
                  "sockets_total",
                  "sockets_used",
                  "sockets_used_details")));

  private UnservedFields() {}

  static Set<String> of(String resource) {
    return BY_RESOURCE.getOrDefault(resource, Set.of());
  }

  private static Set<String> with(Set<String> base, String... more) {
    java.util.Set<String> all = new java.util.HashSet<>(base);
    all.addAll(Set.of(more));
    return Set.copyOf(all);
  }
}
