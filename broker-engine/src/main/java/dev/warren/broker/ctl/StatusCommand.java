package dev.warren.broker.ctl;

import dev.warren.broker.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * rabbitmqctl's {@code status}, from what the management API tells about the node: the sections
 * that apply to Warren (runtime, alarms, memory, file descriptors, disk, totals, listeners), with
 * {@code --unit bytes|mb|gb} and {@code --formatter json}.
 */
final class StatusCommand implements Command {

  private static final Map<String, String> PURPOSES =
      Map.of(
          "amqp", "AMQP 0-9-1 and AMQP 1.0",
          "amqp/ssl", "AMQP 0-9-1 and AMQP 1.0 over TLS",
          "http", "HTTP API",
          "https", "HTTP API over TLS (HTTPS)",
          "clustering", "inter-node and CLI tool communication",
          "http/prometheus", "Prometheus exporter API over HTTP",
          "https/prometheus", "Prometheus exporter API over TLS (HTTPS)");

  @Override
  public void run(CtlOptions o, ManagementClient api, Output out) throws CtlException {
    o.expectArguments(0, 0);
    String unit = o.value("--unit", "gb").toLowerCase(Locale.ROOT);
    if (!List.of("bytes", "mb", "gb").contains(unit)) {
      throw CtlException.usage("unit must be one of bytes, mb, gb: " + unit);
    }
    Map<?, ?> overview = object(api.getJson("overview"));
    String nodeName = String.valueOf(overview.get("node"));
    Map<?, ?> node = Map.of();
    for (Object candidate : api.getList("nodes")) {
      Map<?, ?> n = object(candidate);
      if (node.isEmpty() || nodeName.equals(n.get("name"))) {
        node = n;
      }
    }
    int vhosts = api.getList("vhosts").size();
    Map<?, ?> totals = object(overview.get("object_totals"));
    List<Map<String, Object>> listeners = listeners(overview);
    if (o.json()) {
      out.line(Json.writeForTerminal(json(overview, node, totals, vhosts, listeners)));
      return;
    }
    out.info("Status of node " + nodeName + " ...");
    heading(out, "Runtime");
    out.line("OS PID: " + text(node.get("os_pid")));
    out.line("OS: " + System.getProperty("os.name").replace("linux", "Linux"));
    out.line("Uptime (seconds): " + seconds(node.get("uptime")));
    out.line("RabbitMQ version: " + text(overview.get("rabbitmq_version")));
    out.line("Node name: " + nodeName);
    out.line("Erlang configuration: " + text(overview.get("erlang_full_version")));
    heading(out, "Alarms");
    List<String> alarms = new ArrayList<>();
    if (Boolean.TRUE.equals(node.get("mem_alarm"))) {
      alarms.add("Memory alarm on node " + nodeName);
    }
    if (Boolean.TRUE.equals(node.get("disk_free_alarm"))) {
      alarms.add("Free disk space alarm on node " + nodeName);
    }
    out.line(alarms.isEmpty() ? "(none)" : String.join("\n", alarms));
    heading(out, "Memory");
    out.line("Total memory used: " + size(node.get("mem_used"), unit));
    out.line("Memory high watermark: computed to: " + size(node.get("mem_limit"), unit));
    heading(out, "File Descriptors");
    out.line("Total: " + text(node.get("fd_used")) + ", limit: " + text(node.get("fd_total")));
    out.line(
        "Sockets: "
            + text(node.get("sockets_used"))
            + ", limit: "
            + text(node.get("sockets_total")));
    heading(out, "Free Disk Space");
    out.line("Low free disk space watermark: " + size(node.get("disk_free_limit"), unit));
    out.line("Free disk space: " + size(node.get("disk_free"), unit));
    heading(out, "Totals");
    out.line("Connection count: " + text(totals.get("connections")));
    out.line("Queue count: " + text(totals.get("queues")));
    out.line("Virtual host count: " + vhosts);
    heading(out, "Listeners");
    for (Map<String, Object> listener : listeners) {
      out.line(
          "Interface: %s, port: %s, protocol: %s, purpose: %s"
              .formatted(
                  listener.get("interface"),
                  text(listener.get("port")),
                  listener.get("protocol"),
                  listener.get("purpose")));
    }
  }

  private static Map<String, Object> json(
      Map<?, ?> overview,
      Map<?, ?> node,
      Map<?, ?> totals,
      int vhosts,
      List<Map<String, Object>> listeners) {
    Map<String, Object> status = new LinkedHashMap<>();
    List<String> alarms = new ArrayList<>();
    if (Boolean.TRUE.equals(node.get("mem_alarm"))) {
      alarms.add("memory");
    }
    if (Boolean.TRUE.equals(node.get("disk_free_alarm"))) {
      alarms.add("disk");
    }
    status.put("alarms", alarms);
    status.put("disk_free", node.get("disk_free"));
    status.put("disk_free_limit", node.get("disk_free_limit"));
    status.put("erlang_version", overview.get("erlang_full_version"));
    status.put(
        "file_descriptors",
        Map.of(
            "sockets_limit", value(node.get("sockets_total")),
            "sockets_used", value(node.get("sockets_used")),
            "total_limit", value(node.get("fd_total")),
            "total_used", value(node.get("fd_used"))));
    status.put("listeners", listeners);
    status.put("memory", Map.of("total", Map.of("rss", value(node.get("mem_used")))));
    status.put("os", System.getProperty("os.name"));
    status.put("pid", node.get("os_pid"));
    status.put("product_name", text(overview.get("product_name")));
    status.put("product_version", text(overview.get("product_version")));
    status.put("rabbitmq_version", overview.get("rabbitmq_version"));
    status.put(
        "totals",
        Map.of(
            "virtual_host_count", vhosts,
            "connection_count", value(totals.get("connections")),
            "queue_count", value(totals.get("queues"))));
    status.put("uptime", Long.parseLong(seconds(node.get("uptime"))));
    status.put("vm_memory_high_watermark_limit", node.get("mem_limit"));
    return status;
  }

  private static List<Map<String, Object>> listeners(Map<?, ?> overview) {
    List<Map<String, Object>> listeners = new ArrayList<>();
    if (overview.get("listeners") instanceof List<?> list) {
      for (Object item : list) {
        Map<?, ?> listener = object(item);
        Map<String, Object> row = new LinkedHashMap<>();
        String protocol = text(listener.get("protocol"));
        String address = text(listener.get("ip_address"));
        row.put("interface", address.contains(":") ? "[" + address + "]" : address);
        row.put("node", text(listener.get("node")));
        row.put("port", value(listener.get("port")));
        row.put("protocol", protocol);
        row.put("purpose", PURPOSES.getOrDefault(protocol, protocol));
        listeners.add(row);
      }
    }
    return listeners;
  }

  private static void heading(Output out, String title) {
    out.line("");
    out.line(title);
    out.line("");
  }

  /** rabbitmqctl's sizes: four decimals in gb and mb, whole bytes. */
  private static String size(Object bytes, String unit) {
    if (!(bytes instanceof Number number)) {
      return "unknown";
    }
    double value = number.doubleValue();
    return switch (unit) {
      case "bytes" -> Json.number(number) + " bytes";
      case "mb" -> round(value / 1e6) + " mb";
      default -> round(value / 1e9) + " gb";
    };
  }

  private static String round(double value) {
    return Json.number(Math.round(value * 10_000) / 10_000.0);
  }

  private static String seconds(Object milliseconds) {
    return milliseconds instanceof Number ms ? Long.toString(ms.longValue() / 1000) : "0";
  }

  private static Object value(Object json) {
    return json == null ? 0L : json;
  }

  private static String text(Object value) {
    return Kind.plainText(value);
  }

  private static Map<?, ?> object(Object value) {
    return value instanceof Map<?, ?> map ? map : Map.of();
  }
}
