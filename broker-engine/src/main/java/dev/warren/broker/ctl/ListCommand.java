package dev.warren.broker.ctl;

import dev.warren.broker.ctl.Listing.Column;
import dev.warren.broker.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a {@link Listing} as rabbitmqctl does: tab-separated values under a header line, or with
 * {@code --formatter json} one JSON object per row (keys in column order) in an array, one row per
 * line.
 */
record ListCommand(Listing listing) implements Command {

  @Override
  public void run(CtlOptions options, ManagementClient api, Output out) throws CtlException {
    List<String> names = columnNames(options);
    List<?> rows = api.getList(listing.path().apply(options));
    if (options.json()) {
      printJson(names, rows, out);
      return;
    }
    listing.info().apply(options).forEach(out::info);
    if (rows.isEmpty()) {
      if (!listing.streamed()) {
        out.line("");
      }
      return;
    }
    if (!options.noTableHeaders()) {
      out.line(String.join("\t", names));
    }
    for (Object row : rows) {
      Map<?, ?> object = row instanceof Map<?, ?> map ? map : Map.of();
      out.line(names.stream().map(name -> cell(name, object)).collect(Collectors.joining("\t")));
    }
  }

  private String cell(String name, Map<?, ?> row) {
    Column column = listing.columns().get(name);
    return column.kind().text(column.value().apply(row));
  }

  private void printJson(List<String> names, List<?> rows, Output out) {
    if (rows.isEmpty()) {
      out.line(listing.streamed() ? "[\n]" : "[]");
      return;
    }
    List<String> lines = new ArrayList<>();
    for (Object row : rows) {
      Map<?, ?> object = row instanceof Map<?, ?> map ? map : Map.of();
      StringBuilder json = new StringBuilder("{");
      for (int i = 0; i < names.size(); i++) {
        Column column = listing.columns().get(names.get(i));
        if (i > 0) {
          json.append(',');
        }
        Json.writeForTerminal(names.get(i), json);
        json.append(':');
        column.kind().json(column.value().apply(object), json);
      }
      lines.add(json.append('}').toString());
    }
    out.line("[\n" + String.join("\n,", lines) + "\n]");
  }

  private List<String> columnNames(CtlOptions options) throws CtlException {
    if (options.arguments().isEmpty()) {
      return listing.defaultColumns();
    }
    if (!listing.columnsSelectable()) {
      throw CtlException.usage("too many arguments.");
    }
    // rabbitmqctl takes "name,messages" as well as "name messages"
    List<String> names =
        options.arguments().stream()
            .flatMap(a -> List.of(a.split(",")).stream())
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    List<String> unknown =
        names.stream().filter(n -> !listing.columns().containsKey(n)).distinct().toList();
    if (!unknown.isEmpty()) {
      throw CtlException.usage("Info key(s) " + String.join(",", unknown) + " are not supported");
    }
    return names;
  }
}
