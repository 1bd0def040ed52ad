package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.AmqpPrimitives.readLength;
import static dev.warren.broker.protocol.AmqpPrimitives.readLongBytes;
import static dev.warren.broker.protocol.AmqpPrimitives.readLongStringValue;
import static dev.warren.broker.protocol.AmqpPrimitives.readShortString;
import static dev.warren.broker.protocol.AmqpPrimitives.writeLongBytes;
import static dev.warren.broker.protocol.AmqpPrimitives.writeLongString;
import static dev.warren.broker.protocol.AmqpPrimitives.writeShortString;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMQP field tables and arrays as RabbitMQ and its clients use them. Each type decodes to a Java
 * type of its own, so that a table is written back with the tags it came with (RabbitMQ passes
 * headers on unchanged):
 *
 * <pre>
 * t boolean   → Boolean          b signed octet  → Byte       B unsigned octet → UnsignedInteger
 * s short     → Short            u unsigned short → UnsignedInteger          I int → Integer
 * i unsigned int → UnsignedInteger  l long        → Long       f float          → Float
 * d double    → Double           D decimal       → BigDecimal S long string    → String (or RawLongString, not UTF-8)
 * A array     → List&lt;Object&gt;     T timestamp     → AmqpTimestamp  F table     → Map (insertion order)
 * V void      → null             x byte array    → byte[]
 * </pre>
 *
 * {@code L} is read as a long and written back as {@code l}, as RabbitMQ does. Writing maps
 * String→S, Integer→I, Long→l, Short→s, Byte→b, Boolean→t, Float→f, Double→d, BigDecimal→D,
 * AmqpTimestamp, Instant or Date→T, Map→F, List or Object[]→A, byte[]→x, null→V (what RabbitMQ's
 * Java client writes for the same values), UnsignedInteger to its own tag and RawLongString to S.
 * Decoded tables are to be treated as read-only.
 */
public final class FieldTables {
  /** Deeper nesting than any real client sends; the limit keeps hostile input off the stack. */
  static final int MAX_DEPTH = 64;

  private FieldTables() {}

  /** Reads a table with its 32-bit size prefix; throws {@link DecodeException} if malformed. */
  public static Map<String, Object> read(ByteBuf in) {
    return readTable(in, 0);
  }

  /** Writes a table with its 32-bit size prefix; {@code null} is written as the empty table. */
  public static void write(ByteBuf out, Map<String, ?> table) {
    writeTable(out, table, 0);
  }

  private static Map<String, Object> readTable(ByteBuf in, int depth) {
    int size = readLength(in);
    if (size == 0) {
      return Map.of();
    }
    checkDepth(depth);
    ByteBuf entries = in.readSlice(size);
    Map<String, Object> table = new LinkedHashMap<>();
    while (entries.isReadable()) {
      String name = readShortString(entries);
      table.put(name, readValue(entries, depth));
    }
    return table;
  }

  private static List<Object> readArray(ByteBuf in, int depth) {
    int size = readLength(in);
    if (size == 0) {
      return List.of();
    }
    checkDepth(depth);
    ByteBuf values = in.readSlice(size);
    List<Object> array = new ArrayList<>();
    while (values.isReadable()) {
      array.add(readValue(values, depth));
    }
    return array;
  }

  private static Object readValue(ByteBuf in, int depth) {
    byte type = in.readByte();
    return switch (type) {
      case 't' -> in.readBoolean();
      case 'b' -> in.readByte();
      case 'B' -> new UnsignedInteger(UnsignedInteger.Type.OCTET, in.readUnsignedByte());
      case 's' -> in.readShort();
      case 'u' -> new UnsignedInteger(UnsignedInteger.Type.SHORT, in.readUnsignedShort());
      case 'I' -> in.readInt();
      case 'i' -> new UnsignedInteger(UnsignedInteger.Type.INT, in.readUnsignedInt());
      case 'l', 'L' -> in.readLong();
      case 'f' -> in.readFloat();
      case 'd' -> in.readDouble();
      case 'D' -> readDecimal(in);
      case 'S' -> readLongStringValue(in);
      case 'A' -> readArray(in, depth + 1);
      case 'T' -> new AmqpTimestamp(in.readLong());
      case 'F' -> readTable(in, depth + 1);
      case 'V' -> null;
      case 'x' -> readLongBytes(in);
      default ->
          throw new DecodeException(
              ReplyCode.FRAME_ERROR,
              "unknown field value type 0x" + Integer.toHexString(type & 0xFF));
    };
  }

  private static BigDecimal readDecimal(ByteBuf in) {
    int scale = in.readUnsignedByte();
    int unscaled = in.readInt();
    return BigDecimal.valueOf(unscaled, scale);
  }

  private static void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new DecodeException(
          ReplyCode.FRAME_ERROR, "field tables nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static void writeTable(ByteBuf out, Map<String, ?> table, int depth) {
    int sizeIndex = out.writerIndex();
    out.writeInt(0);
    if (table == null || table.isEmpty()) {
      return;
    }
    checkWriteDepth(depth);
    for (Map.Entry<String, ?> entry : table.entrySet()) {
      writeShortString(out, entry.getKey());
      writeValue(out, entry.getValue(), depth);
    }
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - Integer.BYTES);
  }

  private static void writeArray(ByteBuf out, Iterable<?> values, int depth) {
    checkWriteDepth(depth);
    int sizeIndex = out.writerIndex();
    out.writeInt(0);
    for (Object value : values) {
      writeValue(out, value, depth);
    }
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - Integer.BYTES);
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(ByteBuf out, Object value, int depth) {
    if (value == null) {
      out.writeByte('V');
    } else if (value instanceof String string) {
      out.writeByte('S');
      writeLongString(out, string);
    } else if (value instanceof Integer integer) {
      out.writeByte('I').writeInt(integer);
    } else if (value instanceof Long longValue) {
      out.writeByte('l').writeLong(longValue);
    } else if (value instanceof Boolean bool) {
      out.writeByte('t').writeBoolean(bool);
    } else if (value instanceof Map<?, ?> table) {
      out.writeByte('F');
      writeTable(out, (Map<String, ?>) table, depth + 1);
    } else if (value instanceof List<?> list) {
      out.writeByte('A');
      writeArray(out, list, depth + 1);
    } else if (value instanceof Object[] array) {
      out.writeByte('A');
      writeArray(out, Arrays.asList(array), depth + 1);
    } else if (value instanceof byte[] bytes) {
      out.writeByte('x');
      writeLongBytes(out, bytes);
    } else if (value instanceof Short shortValue) {
      out.writeByte('s').writeShort(shortValue);
    } else if (value instanceof Byte byteValue) {
      out.writeByte('b').writeByte(byteValue);
    } else if (value instanceof Float floatValue) {
      out.writeByte('f').writeFloat(floatValue);
    } else if (value instanceof Double doubleValue) {
      out.writeByte('d').writeDouble(doubleValue);
    } else if (value instanceof BigDecimal decimal) {
      writeDecimal(out, decimal);
    } else if (value instanceof UnsignedInteger unsigned) {
      writeUnsigned(out, unsigned);
    } else if (value instanceof RawLongString raw) {
      out.writeByte('S');
      writeLongBytes(out, raw.octets());
    } else if (value instanceof AmqpTimestamp timestamp) {
      out.writeByte('T').writeLong(timestamp.epochSeconds());
    } else if (value instanceof Instant instant) {
      out.writeByte('T').writeLong(instant.getEpochSecond());
    } else if (value instanceof Date date) {
      out.writeByte('T').writeLong(date.getTime() / 1000);
    } else {
      throw new IllegalArgumentException("no AMQP field type for " + value.getClass().getName());
    }
  }

  private static void writeUnsigned(ByteBuf out, UnsignedInteger unsigned) {
    out.writeByte(unsigned.type().tag());
    switch (unsigned.type()) {
      case OCTET -> out.writeByte(unsigned.intValue());
      case SHORT -> out.writeShort(unsigned.intValue());
      case INT -> out.writeInt(unsigned.intValue());
    }
  }

  private static void writeDecimal(ByteBuf out, BigDecimal decimal) {
    BigInteger unscaled = decimal.unscaledValue();
    if (decimal.scale() < 0 || decimal.scale() > 255 || unscaled.bitLength() > 31) {
      throw new IllegalArgumentException(
          "decimal " + decimal + " needs a scale of 0..255 and a 32-bit unscaled value");
    }
    out.writeByte('D').writeByte(decimal.scale()).writeInt(unscaled.intValue());
  }

  private static void checkWriteDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException(
          "field tables nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }
  }
}
