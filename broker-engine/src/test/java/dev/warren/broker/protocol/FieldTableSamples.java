package dev.warren.broker.protocol;

import java.io.ByteArrayOutputStream;

/** Field tables written by hand, octet by octet, for codec tests and wire comparisons. */
public final class FieldTableSamples {

  private FieldTableSamples() {}

  /**
   * A table with a value of every field type there is ({@code L} included), several at the edges of
   * their ranges, and a timestamp beyond what {@link java.time.Instant} holds.
   */
  public static byte[] everyType() {
    return table(
        entry("t", 't', 1),
        entry("b", 'b', 0x80),
        entry("B", 'B', 0xFF),
        entry("s", 's', 0x80, 0),
        entry("u", 'u', 0xFF, 0xFE),
        entry("I", 'I', 0x80, 0, 0, 0),
        entry("i", 'i', 0xFF, 0xFF, 0xFF, 0xFE),
        entry("l", 'l', 0x80, 0, 0, 0, 0, 0, 0, 0),
        entry("L", 'L', 0, 0, 0, 0, 0, 0, 0, 42),
        entry("f", 'f', 0x3F, 0xC0, 0, 0),
        entry("d", 'd', 0x3F, 0xF8, 0, 0, 0, 0, 0, 0),
        entry("D", 'D', 2, 0xFF, 0xFF, 0xFF, 0xFF),
        entry("S", 'S', 0, 0, 0, 2, 'h', 'i'),
        entry("S-binary", 'S', 0, 0, 0, 3, 0xC3, 0x28, 0xFF),
        entry("A", 'A', 0, 0, 0, 6, 'B', 7, 'u', 0, 9, 'V'),
        entry("T", 'T', 0x17, 0x9A, 0x3F, 0x2B, 0x1C, 0, 0, 0),
        entry("F", 'F', 0, 0, 0, 5, 1, 'k', 'u', 0, 5),
        entry("V", 'V'),
        entry("x", 'x', 0, 0, 0, 1, 7));
  }

  /** One table entry: the name as a short string, the type tag, then the value's octets. */
  public static byte[] entry(String name, char type, int... value) {
    byte[] bytes = new byte[2 + name.length() + value.length];
    bytes[0] = (byte) name.length();
    System.arraycopy(name.getBytes(), 0, bytes, 1, name.length());
    bytes[1 + name.length()] = (byte) type;
    for (int i = 0; i < value.length; i++) {
      bytes[2 + name.length() + i] = (byte) value[i];
    }
    return bytes;
  }

  /** A table of the given entries, with its 32-bit size prefix. */
  public static byte[] table(byte[]... entries) {
    byte[] body = concat(entries);
    byte[] table = new byte[4 + body.length];
    table[0] = (byte) (body.length >>> 24);
    table[1] = (byte) (body.length >>> 16);
    table[2] = (byte) (body.length >>> 8);
    table[3] = (byte) body.length;
    System.arraycopy(body, 0, table, 4, body.length);
    return table;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
