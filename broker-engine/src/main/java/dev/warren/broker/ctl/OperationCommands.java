package dev.warren.broker.ctl;

import static dev.warren.broker.ctl.AccessCommands.check;
import static dev.warren.broker.ctl.ManagementClient.segment;

import dev.warren.broker.ctl.ManagementClient.Response;
import dev.warren.broker.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Policies, queues and connections: rabbitmqctl's commands that change them. */
final class OperationCommands {
  private OperationCommands() {}

  static Map<String, Command> all() {
    Map<String, Command> commands = new LinkedHashMap<>();
    commands.put("set_policy", OperationCommands::setPolicy);
    commands.put("clear_policy", OperationCommands::clearPolicy);
    commands.put("purge_queue", OperationCommands::purgeQueue);
    commands.put("delete_queue", OperationCommands::deleteQueue);
    commands.put("close_connection", OperationCommands::closeConnection);
    return commands;
  }

  private static void setPolicy(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(3, 3);
    String name = o.argument(0);
    String pattern = o.argument(1);
    String definitionText = o.argument(2);
    String priorityText = o.value("--priority", "0");
    out.info(
        "Setting policy \"%s\" for pattern \"%s\" to \"%s\" with priority \"%s\" for vhost \"%s\" ..."
            .formatted(name, pattern, definitionText, priorityText, o.vhost()));
    Object definition;
    try {
      definition = Json.parse(definitionText);
    } catch (IllegalArgumentException e) {
      throw CtlException.failed(
          CtlException.DATA_ERROR, "JSON decoding error: " + definitionText + " (" + e + ")");
    }
    long priority;
    try {
      priority = Long.parseLong(priorityText);
    } catch (NumberFormatException e) {
      throw CtlException.usage("priority must be an integer: " + priorityText);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pattern", pattern);
    body.put("definition", definition);
    body.put("priority", priority);
    body.put("apply-to", o.value("--apply-to", "all"));
    AccessCommands.put(api, "policies/" + segment(o.vhost()) + "/" + segment(name), body);
  }

  private static void clearPolicy(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String name = o.argument(0);
    out.info("Clearing policy \"" + name + "\" on vhost \"" + o.vhost() + "\" ...");
    Response response =
        api.send("DELETE", "policies/" + segment(o.vhost()) + "/" + segment(name), null, Map.of());
    if (response.status() == 404) {
      throw CtlException.failed(CtlException.UNAVAILABLE, "Parameter does not exist");
    }
    check(api, response);
  }

  private static void purgeQueue(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String queue = o.argument(0);
    out.info("Purging queue '" + queue + "' in vhost '" + o.vhost() + "' ...");
    Response response =
        api.send("DELETE", queuePath(o.vhost(), queue) + "/contents", null, Map.of());
    if (response.status() == 404) {
      throw CtlException.failed(CtlException.UNAVAILABLE, "not_found");
    }
    check(api, response);
  }

  private static void deleteQueue(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String queue = o.argument(0);
    out.info("Deleting queue '" + queue + "' on vhost '" + o.vhost() + "' ...");
    Response before = api.send("GET", queuePath(o.vhost(), queue), null, Map.of());
    if (before.status() == 404) {
      throw CtlException.failed(CtlException.USAGE, "Queue not found");
    }
    check(api, before);
    Object ready =
        Json.parse(before.body()) instanceof Map<?, ?> q ? q.get("messages_ready") : null;
    StringBuilder query = new StringBuilder();
    if (o.flag("--if-empty")) {
      query.append("if-empty=true");
    }
    if (o.flag("--if-unused")) {
      query.append(query.isEmpty() ? "" : "&").append("if-unused=true");
    }
    String path = queuePath(o.vhost(), queue) + (query.isEmpty() ? "" : "?" + query);
    Response response = api.send("DELETE", path, null, Map.of());
    if (response.status() == 404) {
      throw CtlException.failed(CtlException.USAGE, "Queue not found");
    }
    check(api, response);
    out.line(
        "Queue was successfully deleted with "
            + (ready == null ? "0" : Kind.plainText(ready))
            + " ready messages");
  }

  /**
   * Closes a connection by its name, the one list_connections shows in its {@code name} and {@code
   * pid} columns (rabbitmqctl takes an Erlang process id there).
   */
  private static void closeConnection(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(2, 2);
    String connection = o.argument(0);
    String reason = o.argument(1);
    out.info("Closing connection " + connection + ", reason: " + reason + "...");
    Response response =
        api.send("DELETE", "connections/" + segment(connection), null, Map.of("X-Reason", reason));
    if (response.status() == 404) {
      throw CtlException.failed(
          CtlException.UNAVAILABLE, "connection '" + connection + "' not found");
    }
    check(api, response);
  }

  private static String queuePath(String vhost, String queue) {
    return "queues/" + segment(vhost) + "/" + segment(queue);
  }
}
