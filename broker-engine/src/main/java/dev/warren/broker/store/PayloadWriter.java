package dev.warren.broker.store;

import dev.warren.broker.model.DeathHistory;
import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.RawLongString;
import dev.warren.broker.protocol.UnsignedInteger;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Serialises record payloads into a reusable growable array: primitives, strings, AMQP field values
 * (the types {@link dev.warren.broker.protocol.FieldTables} decodes to) and message properties.
 * {@link PayloadReader} reads them back. Not thread-safe; one per writing thread.
 */
public final class PayloadWriter {
  private byte[] bytes = new byte[4096];
  private int length;

  public void reset() {
    length = 0;
  }

  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  private void ensure(int extra) {
    if (length + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
    }
  }

  public PayloadWriter writeByte(int value) {
    ensure(1);
    bytes[length++] = (byte) value;
    return this;
  }

  public PayloadWriter writeInt(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  public PayloadWriter writeLong(long value) {
    writeInt((int) (value >>> 32));
    return writeInt((int) value);
  }

  public PayloadWriter writeBytes(byte[] value) {
    if (value == null) {
      return writeInt(-1);
    }
    writeInt(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, bytes, length, value.length);
    length += value.length;
    return this;
  }

  public PayloadWriter writeString(String value) {
    return writeBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  public PayloadWriter writeTable(Map<String, ?> table) {
    if (table == null) {
      return writeInt(-1);
    }
    writeInt(table.size());
    for (Map.Entry<String, ?> entry : table.entrySet()) {
      writeString(entry.getKey());
      writeValue(entry.getValue());
    }
    return this;
  }

  @SuppressWarnings("unchecked")
  private void writeValue(Object value) {
    if (value == null) {
      writeByte('V');
    } else if (value instanceof String string) {
      writeByte('S').writeString(string);
    } else if (value instanceof Integer integer) {
      writeByte('I').writeInt(integer);
    } else if (value instanceof Long longValue) {
      writeByte('l').writeLong(longValue);
    } else if (value instanceof Boolean bool) {
      writeByte('t').writeByte(bool ? 1 : 0);
    } else if (value instanceof Map<?, ?> table) {
      writeByte('F').writeTable((Map<String, ?>) table);
    } else if (value instanceof DeathHistory history) {
      // its own tag: after a restart the broker's x-death must still not look like a publisher's
      writeByte('H').writeList(history);
    } else if (value instanceof List<?> list) {
      writeByte('A').writeList(list);
    } else if (value instanceof Object[] array) {
      writeByte('A').writeList(Arrays.asList(array));
    } else if (value instanceof byte[] raw) {
      writeByte('x').writeBytes(raw);
    } else if (value instanceof Short shortValue) {
      writeByte('s').writeInt(shortValue);
    } else if (value instanceof Byte byteValue) {
      writeByte('b').writeByte(byteValue);
    } else if (value instanceof Float floatValue) {
      writeByte('f').writeInt(Float.floatToIntBits(floatValue));
    } else if (value instanceof Double doubleValue) {
      writeByte('d').writeLong(Double.doubleToLongBits(doubleValue));
    } else if (value instanceof BigDecimal decimal) {
      writeByte('D').writeString(decimal.toString());
    } else if (value instanceof UnsignedInteger unsigned) {
      writeByte(unsigned.type().tag()).writeLong(unsigned.longValue());
    } else if (value instanceof RawLongString raw) {
      writeByte('R').writeBytes(raw.octets());
    } else if (value instanceof AmqpTimestamp timestamp) {
      writeByte('T').writeLong(timestamp.epochSeconds());
    } else if (value instanceof Instant instant) {
      writeByte('T').writeLong(instant.getEpochSecond());
    } else if (value instanceof Date date) {
      writeByte('T').writeLong(date.getTime() / 1000);
    } else {
      throw new IllegalArgumentException("cannot store a " + value.getClass().getName());
    }
  }

  private void writeList(List<?> list) {
    writeInt(list.size());
    for (Object item : list) {
      writeValue(item);
    }
  }

  public PayloadWriter writeProperties(BasicProperties p) {
    writeString(p.contentType()).writeString(p.contentEncoding()).writeTable(p.headers());
    writeOptionalInt(p.deliveryMode()).writeOptionalInt(p.priority());
    writeString(p.correlationId()).writeString(p.replyTo()).writeString(p.expiration());
    writeString(p.messageId());
    // Long.MIN_VALUE (the year -292 billion) stands for "no timestamp"
    writeLong(p.timestamp() == null ? Long.MIN_VALUE : p.timestamp().epochSeconds());
    writeString(p.type()).writeString(p.userId()).writeString(p.appId());
    return writeString(p.clusterId());
  }

  private PayloadWriter writeOptionalInt(Integer value) {
    return value == null ? writeByte(0) : writeByte(1).writeInt(value);
  }
}
