package dev.warren.broker.ctl;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code warrenctl}: the most used rabbitmqctl commands, with the same names, arguments, output
 * columns and formats, carried out through the management HTTP API (so it works against Warren and
 * against RabbitMQ alike, and never touches a broker's files or engine).
 */
public final class WarrenCtl {

  static final String USAGE =
      """
      Usage: warrenctl [-n HOST[:PORT] | --url URL] [--username USER] [--password PASS]
                       [-p VHOST] [-q] [-s] [--no-table-headers] [--formatter table|json]
                       [-t SECONDS] <command> [arguments]

      Connection: -n/--node names the broker's host (and management port, default 15672;
      rabbitmqctl's rabbit@host works too), --url gives the management API's base URL instead
      (e.g. https://broker:15671/). Credentials: --username and --password, else the
      environment variables WARRENCTL_USERNAME and WARRENCTL_PASSWORD, else guest/guest;
      WARRENCTL_URL sets the URL.

      Commands:
        status [--unit bytes|mb|gb]
        list_queues [column ...]        list_exchanges [column ...]   list_bindings [column ...]
        list_connections [column ...]   list_channels [column ...]    list_consumers [column ...]
        list_users   list_vhosts [column ...]   list_permissions   list_policies
        add_user USER PASSWORD          delete_user USER              change_password USER PASSWORD
        set_user_tags USER [TAG ...]    add_vhost VHOST [--description D] [--tags T]
        delete_vhost VHOST              set_permissions [-p VHOST] USER CONF WRITE READ
        clear_permissions [-p VHOST] USER
        set_policy [-p VHOST] [--priority N] [--apply-to all|queues|exchanges] NAME PATTERN DEFINITION
        clear_policy [-p VHOST] NAME
        close_connection CONNECTION_NAME REASON
        purge_queue [-p VHOST] QUEUE    delete_queue [-p VHOST] [--if-empty] [--if-unused] QUEUE
        export_definitions FILE|-       import_definitions FILE|-
      """;

  private WarrenCtl() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System.getenv(), System.in, out, err));
  }

  /** Runs one command; returns the process's exit code. */
  static int run(
      String[] args,
      Map<String, String> environment,
      InputStream stdin,
      PrintStream out,
      PrintStream err) {
    if (args.length == 0
        || args[0].equals("help")
        || args[0].equals("--help")
        || args[0].equals("-?")) {
      out.print(USAGE);
      return 0;
    }
    try {
      CtlOptions options = CtlOptions.parse(args, environment);
      if (options.command().equals("help")) {
        out.print(USAGE);
        return 0;
      }
      Command command = commands(stdin).get(options.command());
      if (command == null) {
        err.println("\nCommand '" + options.command() + "' not found. \n");
        err.print(USAGE);
        return CtlException.USAGE;
      }
      ManagementClient api =
          new ManagementClient(
              options.managementUri(),
              options.username(),
              options.password(),
              Duration.ofSeconds(options.timeoutSeconds()));
      command.run(options, api, new Command.Output(out, options.quiet()));
      return 0;
    } catch (CtlException e) {
      out.flush();
      err.println(e.getMessage());
      return e.exitCode();
    }
  }

  private static Map<String, Command> commands(InputStream stdin) {
    Map<String, Command> commands = new LinkedHashMap<>();
    commands.put("status", new StatusCommand());
    for (Listing listing : Listings.ALL) {
      commands.put(listing.command(), new ListCommand(listing));
    }
    commands.putAll(AccessCommands.all());
    commands.putAll(OperationCommands.all());
    commands.putAll(DefinitionCommands.all(stdin));
    return commands;
  }
}
