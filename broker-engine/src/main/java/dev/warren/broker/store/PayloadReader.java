package dev.warren.broker.store;

import dev.warren.broker.model.DeathHistory;
import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.RawLongString;
import dev.warren.broker.protocol.UnsignedInteger;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what {@link PayloadWriter} wrote, from one record's payload. */
public final class PayloadReader {
  private final ByteBuffer in;

  public PayloadReader(ByteBuffer in) {
    this.in = in;
  }

  public boolean hasMore() {
    return in.hasRemaining();
  }

  public int readByte() {
    return in.get();
  }

  public int readInt() {
    return in.getInt();
  }

  public long readLong() {
    return in.getLong();
  }

  public byte[] readBytes() {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    byte[] value = new byte[length];
    in.get(value);
    return value;
  }

  public String readString() {
    byte[] raw = readBytes();
    return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
  }

  public Map<String, Object> readTable() {
    int size = in.getInt();
    if (size < 0) {
      return null;
    }
    Map<String, Object> table = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      String key = readString();
      table.put(key, readValue());
    }
    return table;
  }

  private Object readValue() {
    int type = in.get();
    return switch (type) {
      case 'V' -> null;
      case 'S' -> readString();
      case 'R' -> new RawLongString(readBytes());
      case 'I' -> in.getInt();
      case 'l' -> in.getLong();
      case 't' -> in.get() != 0;
      case 'F' -> readTable();
      case 'A' -> readList();
      case 'H' -> new DeathHistory(readList());
      case 'x' -> readBytes();
      case 's' -> (short) in.getInt();
      case 'b' -> in.get();
      case 'f' -> Float.intBitsToFloat(in.getInt());
      case 'd' -> Double.longBitsToDouble(in.getLong());
      case 'D' -> new BigDecimal(readString());
      case 'T' -> new AmqpTimestamp(in.getLong());
      case 'B' -> new UnsignedInteger(UnsignedInteger.Type.OCTET, in.getLong());
      case 'u' -> new UnsignedInteger(UnsignedInteger.Type.SHORT, in.getLong());
      case 'i' -> new UnsignedInteger(UnsignedInteger.Type.INT, in.getLong());
      default -> throw new IllegalStateException("unknown stored value type " + type);
    };
  }

  private List<Object> readList() {
    int size = in.getInt();
    List<Object> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(readValue());
    }
    return list;
  }

  public BasicProperties readProperties() {
    String contentType = readString();
    String contentEncoding = readString();
    Map<String, Object> headers = readTable();
    Integer deliveryMode = readOptionalInt();
    Integer priority = readOptionalInt();
    String correlationId = readString();
    String replyTo = readString();
    String expiration = readString();
    String messageId = readString();
    long timestamp = in.getLong();
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp == Long.MIN_VALUE ? null : new AmqpTimestamp(timestamp),
        readString(),
        readString(),
        readString(),
        readString());
  }

  private Integer readOptionalInt() {
    return in.get() == 0 ? null : in.getInt();
  }
}
