package dev.warren.broker.ctl;

import static dev.warren.broker.ctl.ManagementClient.segment;

import dev.warren.broker.ctl.ManagementClient.Response;
import dev.warren.broker.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users, virtual hosts and permissions: rabbitmqctl's commands, their messages and their errors, as
 * calls of the management API.
 */
final class AccessCommands {
  private AccessCommands() {}

  static Map<String, Command> all() {
    Map<String, Command> commands = new LinkedHashMap<>();
    commands.put("add_user", AccessCommands::addUser);
    commands.put("delete_user", AccessCommands::deleteUser);
    commands.put("change_password", AccessCommands::changePassword);
    commands.put("set_user_tags", AccessCommands::setUserTags);
    commands.put("add_vhost", AccessCommands::addVhost);
    commands.put("delete_vhost", AccessCommands::deleteVhost);
    commands.put("set_permissions", AccessCommands::setPermissions);
    commands.put("clear_permissions", AccessCommands::clearPermissions);
    return commands;
  }

  private static void addUser(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(2, 2);
    String user = o.argument(0);
    out.info("Adding user \"" + user + "\" ...");
    if (api.send("GET", userPath(user), null, Map.of()).ok()) {
      throw CtlException.failed(CtlException.SOFTWARE, "User \"" + user + "\" already exists");
    }
    put(api, userPath(user), Map.of("password", o.argument(1), "tags", ""));
    out.info(
        "Done. Don't forget to grant the user permissions to some virtual hosts! See 'warrenctl"
            + " help set_permissions' to learn more.");
  }

  private static void deleteUser(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String user = o.argument(0);
    out.info("Deleting user \"" + user + "\" ...");
    Response response = api.send("DELETE", userPath(user), null, Map.of());
    if (response.status() == 404) {
      throw noSuchUser(user);
    }
    check(api, response);
  }

  private static void changePassword(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(2, 2);
    String user = o.argument(0);
    out.info("Changing password for user \"" + user + "\" ...");
    Map<?, ?> existing = existingUser(api, user);
    put(
        api,
        userPath(user),
        Map.of(
            "password", o.argument(1), "tags", String.join(",", Kind.tags(existing.get("tags")))));
  }

  private static void setUserTags(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, Integer.MAX_VALUE);
    String user = o.argument(0);
    List<String> tags = o.arguments().subList(1, o.arguments().size());
    out.info("Setting tags for user \"" + user + "\" to [" + String.join(", ", tags) + "] ...");
    Map<?, ?> existing = existingUser(api, user);
    // PUT replaces the user: send its stored hash back so that the password stays as it was
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("password_hash", String.valueOf(existing.get("password_hash")));
    if (existing.get("hashing_algorithm") != null) {
      body.put("hashing_algorithm", existing.get("hashing_algorithm"));
    }
    body.put("tags", String.join(",", tags));
    put(api, userPath(user), body);
  }

  private static void addVhost(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String vhost = o.argument(0);
    out.info("Adding vhost \"" + vhost + "\" ...");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("description", o.value("--description", ""));
    body.put("tags", o.value("--tags", ""));
    if (o.values().containsKey("--default-queue-type")) {
      body.put("default_queue_type", o.value("--default-queue-type", "classic"));
    }
    put(api, "vhosts/" + segment(vhost), body);
  }

  private static void deleteVhost(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String vhost = o.argument(0);
    out.info("Deleting vhost \"" + vhost + "\" ...");
    Response response = api.send("DELETE", "vhosts/" + segment(vhost), null, Map.of());
    if (response.status() == 404) {
      throw new CtlException(
          CtlException.DATA_ERROR, "Virtual host '" + vhost + "' does not exist");
    }
    check(api, response);
  }

  private static void setPermissions(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(4, 4);
    String user = o.argument(0);
    out.info("Setting permissions for user \"" + user + "\" in vhost \"" + o.vhost() + "\" ...");
    put(
        api,
        permissionPath(o.vhost(), user),
        Map.of("configure", o.argument(1), "write", o.argument(2), "read", o.argument(3)));
  }

  private static void clearPermissions(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String user = o.argument(0);
    out.info("Clearing permissions for user \"" + user + "\" in vhost \"" + o.vhost() + "\" ...");
    Response response = api.send("DELETE", permissionPath(o.vhost(), user), null, Map.of());
    // rabbitmqctl succeeds when there was nothing to clear
    if (response.status() != 404) {
      check(api, response);
    }
  }

  private static Map<?, ?> existingUser(ManagementClient api, String user) throws CtlException {
    Response response = api.send("GET", userPath(user), null, Map.of());
    if (response.status() == 404) {
      throw noSuchUser(user);
    }
    check(api, response);
    if (dev.warren.broker.json.Json.parse(response.body()) instanceof Map<?, ?> existing) {
      return existing;
    }
    throw CtlException.failed(CtlException.SOFTWARE, "unexpected answer: " + response.body());
  }

  private static CtlException noSuchUser(String user) {
    return CtlException.failed(CtlException.NO_USER, "User \"" + user + "\" does not exist");
  }

  private static String userPath(String user) {
    return "users/" + segment(user);
  }

  private static String permissionPath(String vhost, String user) {
    return "permissions/" + segment(vhost) + "/" + segment(user);
  }

  static void put(ManagementClient api, String path, Map<String, ?> body) throws CtlException {
    check(api, api.send("PUT", path, Json.writeForTerminal(body), Map.of()));
  }

  static void check(ManagementClient api, Response response) throws CtlException {
    if (!response.ok()) {
      throw api.failure(response);
    }
  }
}
