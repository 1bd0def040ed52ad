package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.warren.broker.model.DeathHistory;
import dev.warren.broker.protocol.AmqpTimestamp;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.RawLongString;
import dev.warren.broker.protocol.UnsignedInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stored properties come back with every value type they had: what the wire gets after a restart.
 */
class PayloadFormatTest {

  @Test
  void headersKeepTheirExactTypesAndTheBrokersDeathHistoryStaysOne() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("B", new UnsignedInteger(UnsignedInteger.Type.OCTET, 255));
    headers.put("u", new UnsignedInteger(UnsignedInteger.Type.SHORT, 65535));
    headers.put("i", new UnsignedInteger(UnsignedInteger.Type.INT, 4294967295L));
    headers.put("s", (short) -1);
    headers.put("T", new AmqpTimestamp(Long.MAX_VALUE));
    headers.put("S", new RawLongString(new byte[] {(byte) 0xC3, 0x28}));
    headers.put("x-death", new DeathHistory(List.of(Map.of("count", 3L, "queue", "q"))));
    headers.put("publishers-list", Arrays.asList("a", null));
    BasicProperties properties =
        new BasicProperties(
            null,
            null,
            headers,
            2,
            null,
            null,
            null,
            null,
            null,
            new AmqpTimestamp(0x179A3F2B1C000000L),
            null,
            null,
            null,
            null);

    BasicProperties read = roundTrip(properties);

    assertEquals(properties, read);
    assertInstanceOf(DeathHistory.class, read.headers().get("x-death"));
    assertEquals(List.class, listType(read.headers().get("publishers-list")));
  }

  @Test
  void anAbsentTimestampStaysAbsent() {
    assertNull(roundTrip(BasicProperties.EMPTY).timestamp());
  }

  private static BasicProperties roundTrip(BasicProperties properties) {
    PayloadWriter writer = new PayloadWriter();
    writer.writeProperties(properties);
    byte[] bytes = Arrays.copyOf(writer.array(), writer.length());
    return new PayloadReader(ByteBuffer.wrap(bytes)).readProperties();
  }

  /** A publisher's array comes back as a plain list, never as the broker's history. */
  private static Class<?> listType(Object value) {
    return value instanceof DeathHistory ? DeathHistory.class : List.class;
  }
}
