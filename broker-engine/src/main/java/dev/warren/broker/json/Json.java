package dev.warren.broker.json;

import java.nio.charset.StandardCharsets;

/**
 * JSON in and out, with plain Java values: {@code Map<String, ?>} for objects, {@code List<?>} for
 * arrays, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 */
public final class Json {
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
    JsonWriter.write(value, out);
    return out.toString();
  }

  public static byte[] writeBytes(Object value) {
    return write(value).getBytes(StandardCharsets.UTF_8);
  }
}
