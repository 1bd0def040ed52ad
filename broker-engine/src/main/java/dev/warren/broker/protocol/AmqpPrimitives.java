package dev.warren.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Reading and writing the AMQP primitive types (strings, bits, timestamps) on a {@link ByteBuf}.
 */
final class AmqpPrimitives {
  static final int SHORT_STRING_MAX = 255;
  private static final byte[] NO_BYTES = {};

  private AmqpPrimitives() {}

  /**
   * Names, keys and tags. Refused unless valid UTF-8: a lossy decode would swap each bad octet for
   * a three-octet U+FFFD, and the broker could then not echo the name back (in a delivery to
   * another client, say) within the 255 octets a short string allows. Found by fuzzing.
   */
  static String readShortString(ByteBuf in) {
    int length = in.readUnsignedByte();
    int start = in.readerIndex();
    String value = readUtf8(in, length);
    if (value.indexOf('\uFFFD') >= 0 && !isSameUtf8(value, in, start, length)) {
      throw new DecodeException(ReplyCode.FRAME_ERROR, "short string is not valid UTF-8");
    }
    return value;
  }

  /** Whether the string encodes to exactly those octets (false if decoding replaced any). */
  private static boolean isSameUtf8(String value, ByteBuf in, int start, int length) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return utf8.length == length
        && ByteBufUtil.equals(in, start, Unpooled.wrappedBuffer(utf8), 0, length);
  }

  static String readLongString(ByteBuf in) {
    return readUtf8(in, readLength(in));
  }

  /**
   * A long string as a field value: a String when its octets are UTF-8, else the octets themselves,
   * so that they go back on the wire unchanged.
   */
  static Object readLongStringValue(ByteBuf in) {
    int length = readLength(in);
    int start = in.readerIndex();
    String value = readUtf8(in, length);
    if (value.indexOf('\uFFFD') >= 0 && !isSameUtf8(value, in, start, length)) {
      byte[] octets = new byte[length];
      in.getBytes(start, octets);
      return new RawLongString(octets);
    }
    return value;
  }

  static byte[] readLongBytes(ByteBuf in) {
    int length = readLength(in);
    if (length == 0) {
      return NO_BYTES;
    }
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }

  /** A 32-bit unsigned length prefix, checked against what the buffer actually holds. */
  static int readLength(ByteBuf in) {
    long length = in.readUnsignedInt();
    if (length > in.readableBytes()) {
      throw new DecodeException(
          ReplyCode.FRAME_ERROR,
          "length " + length + " exceeds the " + in.readableBytes() + " octets that follow");
    }
    return (int) length;
  }

  static boolean bit(int octet, int position) {
    return (octet & (1 << position)) != 0;
  }

  private static String readUtf8(ByteBuf in, int length) {
    if (length == 0) {
      return "";
    }
    if (length > in.readableBytes()) {
      throw new DecodeException(
          ReplyCode.FRAME_ERROR,
          "string of " + length + " octets exceeds the " + in.readableBytes() + " that follow");
    }
    String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return value;
  }

  /** {@code null} is written as the empty string: absent names on the wire are empty names. */
  static void writeShortString(ByteBuf out, String value) {
    if (value == null || value.isEmpty()) {
      out.writeByte(0);
      return;
    }
    int length = ByteBufUtil.utf8Bytes(value);
    if (length > SHORT_STRING_MAX) {
      throw new IllegalArgumentException(
          "short string of "
              + length
              + " octets exceeds 255: "
              + value.substring(0, Math.min(32, value.length()))
              + "...");
    }
    out.writeByte(length);
    ByteBufUtil.writeUtf8(out, value);
  }

  /**
   * Reply texts are explanations composed by the broker, sometimes from user input; an overlong one
   * is cut at a character boundary rather than turning an error report into an encoding failure.
   */
  static void writeReplyText(ByteBuf out, String text) {
    if (text == null || ByteBufUtil.utf8Bytes(text) <= SHORT_STRING_MAX) {
      writeShortString(out, text);
      return;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int length = SHORT_STRING_MAX;
    while ((utf8[length] & 0xC0) == 0x80) {
      length--; // utf8[length] continues a character that would be split: drop that character
    }
    out.writeByte(length);
    out.writeBytes(utf8, 0, length);
  }

  static void writeLongString(ByteBuf out, String value) {
    if (value == null || value.isEmpty()) {
      out.writeInt(0);
      return;
    }
    out.writeInt(ByteBufUtil.utf8Bytes(value));
    ByteBufUtil.writeUtf8(out, value);
  }

  static void writeLongBytes(ByteBuf out, byte[] value) {
    if (value == null) {
      out.writeInt(0);
      return;
    }
    out.writeInt(value.length);
    out.writeBytes(value);
  }

  static int bits(boolean b0) {
    return b0 ? 1 : 0;
  }

  static int bits(boolean b0, boolean b1) {
    return bits(b0) | (b1 ? 2 : 0);
  }

  static int bits(boolean b0, boolean b1, boolean b2) {
    return bits(b0, b1) | (b2 ? 4 : 0);
  }

  static int bits(boolean b0, boolean b1, boolean b2, boolean b3) {
    return bits(b0, b1, b2) | (b3 ? 8 : 0);
  }

  static int bits(boolean b0, boolean b1, boolean b2, boolean b3, boolean b4) {
    return bits(b0, b1, b2, b3) | (b4 ? 16 : 0);
  }
}
