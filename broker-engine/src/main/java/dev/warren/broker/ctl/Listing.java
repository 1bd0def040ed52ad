package dev.warren.broker.ctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One of rabbitmqctl's {@code list_*} commands: where its rows come from in the management API,
 * what it says before them, which columns it has (by rabbitmqctl's names) and which it prints when
 * none are asked for.
 *
 * @param path the API path of the rows, for the options given (e.g. the vhost of {@code -p})
 * @param info the informational lines printed before the table, unless quiet
 * @param columnsSelectable whether the command takes column names (list_users, list_permissions and
 *     list_policies print fixed columns)
 * @param streamed rabbitmqctl streams these rows: an empty result prints no header in a table and
 *     "[", "]" on two lines in JSON; the others print an empty line and "[]"
 */
record Listing(
    String command,
    Function<CtlOptions, String> path,
    Function<CtlOptions, List<String>> info,
    List<String> defaultColumns,
    Map<String, Column> columns,
    boolean columnsSelectable,
    boolean streamed) {

  /** How one column is read from a row of the API's answer and printed. */
  record Column(Kind kind, Function<Map<?, ?>, Object> value) {
    static Column field(String name) {
      return new Column(Kind.PLAIN, row -> row.get(name));
    }

    static Column field(String name, Kind kind) {
      return new Column(kind, row -> row.get(name));
    }

    /** A field of a nested object, e.g. the queue's name in a consumer. */
    static Column nested(String object, String name) {
      return new Column(
          Kind.PLAIN, row -> row.get(object) instanceof Map<?, ?> inner ? inner.get(name) : null);
    }

    static Column constant(String value) {
      return new Column(Kind.PLAIN, row -> value);
    }
  }

  /**
   * The columns named, each read from the field of the same name unless overridden: most of
   * rabbitmqctl's info keys are the API's field names.
   */
  static Map<String, Column> columns(List<String> names, Map<String, Column> overrides) {
    Map<String, Column> columns = new LinkedHashMap<>();
    for (String name : names) {
      columns.put(name, overrides.getOrDefault(name, Column.field(name)));
    }
    return columns;
  }
}
