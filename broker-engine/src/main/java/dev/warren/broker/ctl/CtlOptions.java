package dev.warren.broker.ctl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * warrenctl's command line: rabbitmqctl's general options (which may stand anywhere, as there), the
 * options of the individual commands, and the positional arguments after the command name.
 *
 * @param managementUri where the management API is: {@code --url}, else built from {@code -n}
 * @param node the name shown in messages ("Status of node ..."): the host given with {@code -n}
 */
record CtlOptions(
    String command,
    List<String> arguments,
    URI managementUri,
    String node,
    String username,
    String password,
    String vhost,
    boolean quiet,
    boolean silent,
    boolean noTableHeaders,
    boolean json,
    int timeoutSeconds,
    Map<String, String> values,
    Set<String> flags) {

  static final int DEFAULT_MANAGEMENT_PORT = 15672;

  private static final Set<String> WITH_VALUE =
      Set.of(
          "-n",
          "--node",
          "--url",
          "--username",
          "--password",
          "-p",
          "--vhost",
          "--formatter",
          "-t",
          "--timeout",
          "--priority",
          "--apply-to",
          "--description",
          "--tags",
          "--default-queue-type",
          "--unit",
          "--format");

  private static final Set<String> FLAGS =
      Set.of(
          "-q",
          "--quiet",
          "-s",
          "--silent",
          "--no-table-headers",
          "-e",
          "--if-empty",
          "-u",
          "--if-unused",
          "-l",
          "--longnames",
          "--skip-if-unchanged");

  /** Long forms of the one-letter options, so that commands look up one name. */
  private static final Map<String, String> LONG =
      Map.of(
          "-n",
          "--node",
          "-p",
          "--vhost",
          "-t",
          "--timeout",
          "-q",
          "--quiet",
          "-s",
          "--silent",
          "-e",
          "--if-empty",
          "-u",
          "--if-unused",
          "-l",
          "--longnames");

  /**
   * Parses the arguments, taking the connection defaults from the environment ({@code
   * WARRENCTL_URL}, {@code WARRENCTL_USERNAME}, {@code WARRENCTL_PASSWORD}).
   */
  static CtlOptions parse(String[] args, Map<String, String> environment) throws CtlException {
    Map<String, String> values = new HashMap<>();
    Set<String> flags = new HashSet<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String inlineValue = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        inlineValue = arg.substring(equals + 1);
        arg = arg.substring(0, equals);
      }
      String name = LONG.getOrDefault(arg, arg);
      if (WITH_VALUE.contains(arg)) {
        if (inlineValue == null && i + 1 >= args.length) {
          throw CtlException.usage("option " + arg + " needs a value");
        }
        values.put(name, inlineValue != null ? inlineValue : args[++i]);
      } else if (FLAGS.contains(arg)) {
        flags.add(name);
      } else if (arg.startsWith("-") && arg.length() > 1) {
        throw CtlException.usage("unknown option " + arg);
      } else {
        positional.add(arg);
      }
    }
    if (positional.isEmpty()) {
      throw CtlException.usage("no command given");
    }
    String formatter = values.getOrDefault("--formatter", "table");
    if (!formatter.equals("table") && !formatter.equals("json")) {
      throw CtlException.usage("formatter " + formatter + " is not supported (table, json)");
    }
    String node = values.getOrDefault("--node", "localhost");
    URI uri = managementUri(values.getOrDefault("--url", environment.get("WARRENCTL_URL")), node);
    return new CtlOptions(
        positional.get(0),
        List.copyOf(positional.subList(1, positional.size())),
        uri,
        node,
        values.getOrDefault("--username", environment.getOrDefault("WARRENCTL_USERNAME", "guest")),
        values.getOrDefault("--password", environment.getOrDefault("WARRENCTL_PASSWORD", "guest")),
        values.getOrDefault("--vhost", "/"),
        flags.contains("--quiet") || flags.contains("--silent"),
        flags.contains("--silent"),
        flags.contains("--no-table-headers") || flags.contains("--silent"),
        formatter.equals("json"),
        timeoutSeconds(values.get("--timeout")),
        Map.copyOf(values),
        Set.copyOf(flags));
  }

  /**
   * The API's base URI. rabbitmqctl's node names ({@code rabbit@host}) are accepted for {@code -n}:
   * the part before {@code @} names an Erlang node, which Warren has not, so only the host counts;
   * {@code host:port} picks another management port.
   */
  private static URI managementUri(String url, String node) throws CtlException {
    String base = url;
    if (base == null) {
      String host = node.substring(node.indexOf('@') + 1);
      base = "http://" + (host.contains(":") ? host : host + ":" + DEFAULT_MANAGEMENT_PORT);
    }
    try {
      URI uri = URI.create(base.endsWith("/") ? base : base + "/");
      if (uri.getHost() == null || uri.getScheme() == null) {
        throw CtlException.usage("not a management URL: " + base);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw CtlException.usage("not a management URL: " + base);
    }
  }

  private static int timeoutSeconds(String value) throws CtlException {
    if (value == null) {
      return 60;
    }
    try {
      int seconds = Integer.parseInt(value);
      if (seconds > 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw CtlException.usage("timeout must be a positive number of seconds: " + value);
  }

  String value(String option, String fallback) {
    return values.getOrDefault(option, fallback);
  }

  boolean flag(String option) {
    return flags.contains(option);
  }

  /** The positional argument at index, or a usage error naming what is missing. */
  String argument(int index) throws CtlException {
    if (index >= arguments.size()) {
      throw CtlException.usage("not enough arguments.");
    }
    return arguments.get(index);
  }

  void expectArguments(int min, int max) throws CtlException {
    if (arguments.size() < min) {
      throw CtlException.usage("not enough arguments.");
    }
    if (arguments.size() > max) {
      throw CtlException.usage("too many arguments.");
    }
  }
}
