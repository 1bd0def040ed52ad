package dev.warren.broker.ctl;

import static dev.warren.broker.ctl.AccessCommands.check;

import dev.warren.broker.ctl.ManagementClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * export_definitions and import_definitions through the API's {@code /api/definitions}: the whole
 * broker, in RabbitMQ's definitions format. {@code -} stands for standard output or input.
 */
final class DefinitionCommands {
  private DefinitionCommands() {}

  static Map<String, Command> all(InputStream stdin) {
    Map<String, Command> commands = new LinkedHashMap<>();
    commands.put("export_definitions", DefinitionCommands::export);
    commands.put("import_definitions", (o, api, out) -> importDefinitions(o, api, out, stdin));
    return commands;
  }

  private static void export(CtlOptions o, ManagementClient api, Command.Output out)
      throws CtlException {
    o.expectArguments(1, 1);
    String target = o.argument(0);
    Response response = api.send("GET", "definitions", null, Map.of());
    check(api, response);
    if (target.equals("-")) {
      out.text(response.body());
      return;
    }
    out.info("Exporting definitions in JSON to a file at \"" + target + "\" ...");
    try {
      Files.writeString(Path.of(target), response.body(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CtlException.failed(CtlException.SOFTWARE, "cannot write " + target + ": " + e);
    }
  }

  private static void importDefinitions(
      CtlOptions o, ManagementClient api, Command.Output out, InputStream stdin)
      throws CtlException {
    o.expectArguments(1, 1);
    String source = o.argument(0);
    String json;
    try {
      if (source.equals("-")) {
        out.info("Importing definitions in JSON from standard input ...");
        json = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } else {
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
          throw new CtlException(
              CtlException.DATA_ERROR,
              "Error (argument validation): Bad argument: File " + source + " does not exist");
        }
        out.info("Importing definitions in JSON from a file at \"" + source + "\" ...");
        json = Files.readString(file, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw CtlException.failed(CtlException.DATA_ERROR, "cannot read " + source + ": " + e);
    }
    check(api, api.send("POST", "definitions", json, Map.of()));
    // the API imports before it answers, unlike rabbitmqctl's asynchronous import
    out.info("Successfully imported definitions.");
  }
}
