package dev.warren.broker.json;

import java.nio.charset.StandardCharsets;

/**
 * JSON in and out, with plain Java values: {@code Map<String, ?>} for objects, {@code List<?>} for
 * arrays, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 */
public final class Json {
  private static final JsonWriter FOR_BROWSERS = new JsonWriter(JsonWriter.Reader.BROWSER);
  private static final JsonWriter FOR_TERMINALS = new JsonWriter(JsonWriter.Reader.TERMINAL);

  private Json() {}

  /**
   * Reads a JSON document (see {@link JsonParser} for the Java types it gives).
   *
   * @throws IllegalArgumentException with the offset and what was wrong, for invalid JSON
   */
  public static Object parse(String text) {
    return JsonParser.parse(text);
  }

  /** Writes a value as compact JSON text; a map's entries in its iteration order. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    FOR_BROWSERS.write(value, out);
    return out.toString();
  }

  /**
   * Writes a value as a command-line tool prints it: like {@link #write}, but {@code <}, {@code >}
   * and {@code &} are left as they are (no browser reads it) and whole numbers have no fraction.
   */
  public static String writeForTerminal(Object value) {
    StringBuilder out = new StringBuilder();
    writeForTerminal(value, out);
    return out.toString();
  }

  public static void writeForTerminal(Object value, StringBuilder out) {
    FOR_TERMINALS.write(value, out);
  }

  /** A number as people write it: whole ones without a fraction, whichever type they have. */
  public static String number(Number value) {
    if (value instanceof Long || value instanceof Integer) {
      return value.toString();
    }
    double number = value.doubleValue();
    if (number == Math.rint(number) && Math.abs(number) < 1e18) {
      return Long.toString((long) number);
    }
    return Double.toString(number);
  }

  public static byte[] writeBytes(Object value) {
    return write(value).getBytes(StandardCharsets.UTF_8);
  }
}
