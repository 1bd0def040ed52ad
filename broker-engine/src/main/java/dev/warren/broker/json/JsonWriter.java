package dev.warren.broker.json;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Writes plain Java values as JSON text (see {@link Json#write}). */
final class JsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Who reads the text: a browser may (the API's), or a person at a terminal (warrenctl's). */
  enum Reader {
    BROWSER,
    TERMINAL
  }

  private final Reader reader;

  JsonWriter(Reader reader) {
    this.reader = reader;
  }

  void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence text) {
      string(text, out);
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      // JSON has no NaN or infinity
      out.append(
          !Double.isFinite(number)
              ? "null"
              : reader == Reader.TERMINAL ? Json.number(number) : Double.toString(number));
    } else if (value instanceof Number number) {
      out.append(number);
    } else if (value instanceof Map<?, ?> map) {
      object(map, out);
    } else if (value instanceof Collection<?> list) {
      array(list.iterator(), out);
    } else if (value instanceof Object[] array) {
      array(java.util.Arrays.asList(array).iterator(), out);
    } else {
      string(value.toString(), out);
    }
  }

  private void object(Map<?, ?> map, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(String.valueOf(entry.getKey()), out);
      out.append(':');
      write(entry.getValue(), out);
    }
    out.append('}');
  }

  private void array(Iterator<?> elements, StringBuilder out) {
    out.append('[');
    while (elements.hasNext()) {
      write(elements.next(), out);
      if (elements.hasNext()) {
        out.append(',');
      }
    }
    out.append(']');
  }

  /**
   * Escapes what JSON requires and, for a browser, also {@code <}, {@code >} and {@code &}: names
   * and payloads are the clients', and a browser must never read them as markup.
   */
  private void string(CharSequence text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (reader == Reader.BROWSER && isMarkup(c))) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isMarkup(char c) {
    return c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029;
  }
}
