package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.CodecHarness.assertDeepEquals;
import static dev.warren.broker.protocol.FieldTableSamples.concat;
import static dev.warren.broker.protocol.FieldTableSamples.entry;
import static dev.warren.broker.protocol.FieldTableSamples.table;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FieldTablesTest {

  @Test
  void everyWritableJavaTypeRoundTrips() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("string", "héllo");
    table.put("int", Integer.MIN_VALUE);
    table.put("long", Long.MAX_VALUE);
    table.put("short", Short.MIN_VALUE);
    table.put("byte", (byte) -128);
    table.put("true", true);
    table.put("false", false);
    table.put("float", -1.25f);
    table.put("double", Math.PI);
    table.put("decimal", new BigDecimal("-2147483.648"));
    table.put("timestamp", new AmqpTimestamp(1_700_000_000L));
    table.put("unsigned-octet", new UnsignedInteger(UnsignedInteger.Type.OCTET, 255));
    table.put("unsigned-short", new UnsignedInteger(UnsignedInteger.Type.SHORT, 65535));
    table.put("unsigned-int", new UnsignedInteger(UnsignedInteger.Type.INT, 4294967295L));
    table.put("bytes", new byte[] {0, -1, 127});
    table.put("void", null);
    table.put("empty-table", Map.of());
    table.put("empty-array", List.of());
    Map<String, Object> decoded = roundTrip(table);
    assertDeepEquals(table, decoded);
    assertEquals(List.copyOf(table.keySet()), List.copyOf(decoded.keySet()), "insertion order");
  }

  @Test
  void datesAndObjectArraysAreWrittenAsTimestampsAndArrays() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("date", new Date(1_700_000_000_999L));
    table.put("array", new Object[] {1, "two", null});
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("date", new AmqpTimestamp(1_700_000_000L));
    expected.put("array", Arrays.asList(1, "two", null));
    assertDeepEquals(expected, roundTrip(table));
  }

  @Test
  void nestedTablesAndArraysKeepTheirStructureAndOrder() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of(Map.of("deep", "yes"), List.of(1L, 2L)));
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("capabilities", inner);
    table.put("list", List.of(inner, "x"));
    Map<String, Object> decoded = roundTrip(table);
    assertDeepEquals(table, decoded);
    assertEquals(
        List.of("z", "a"), List.copyOf(((Map<?, ?>) decoded.get("capabilities")).keySet()));
  }

  @Test
  void anEmptyOrNullTableIsFourZeroOctets() {
    assertArrayEquals(new byte[4], write(Map.of()));
    assertArrayEquals(new byte[4], write(null));
    assertEquals(Map.of(), read(new byte[4], FieldTables::read));
  }

  @Test
  void everyTypeTagDecodesToItsDocumentedJavaType() {
    byte[] bytes =
        table(
            entry("t", 't', 1),
            entry("b", 'b', 0xFF),
            entry("B", 'B', 0xFF),
            entry("s", 's', 0xFF, 0xFE),
            entry("u", 'u', 0xFF, 0xFE),
            entry("I", 'I', 0xFF, 0xFF, 0xFF, 0xFE),
            entry("i", 'i', 0xFF, 0xFF, 0xFF, 0xFE),
            entry("l", 'l', 0, 0, 0, 1, 0, 0, 0, 0),
            entry("f", 'f', 0x3F, 0xC0, 0, 0),
            entry("d", 'd', 0x3F, 0xF8, 0, 0, 0, 0, 0, 0),
            entry("D", 'D', 2, 0, 0, 0x30, 0x39),
            entry("S", 'S', 0, 0, 0, 2, 'h', 'i'),
            entry("A", 'A', 0, 0, 0, 2, 'V', 'V'),
            entry("T", 'T', 0, 0, 0, 0, 0, 0, 0, 60),
            entry("F", 'F', 0, 0, 0, 0),
            entry("V", 'V'),
            entry("x", 'x', 0, 0, 0, 1, 7));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("t", true);
    expected.put("b", (byte) -1);
    expected.put("B", new UnsignedInteger(UnsignedInteger.Type.OCTET, 255));
    expected.put("s", (short) -2);
    expected.put("u", new UnsignedInteger(UnsignedInteger.Type.SHORT, 65534));
    expected.put("I", -2);
    expected.put("i", new UnsignedInteger(UnsignedInteger.Type.INT, 4294967294L));
    expected.put("l", 1L << 32);
    expected.put("f", 1.5f);
    expected.put("d", 1.5d);
    expected.put("D", new BigDecimal("123.45"));
    expected.put("S", "hi");
    expected.put("A", Arrays.asList(null, null));
    expected.put("T", new AmqpTimestamp(60));
    expected.put("F", Map.of());
    expected.put("V", null);
    expected.put("x", new byte[] {7});
    assertDeepEquals(expected, read(bytes, FieldTables::read));
  }

  /**
   * RabbitMQ passes headers on as they came: every type keeps its tag and its exact octets, the
   * unsigned ones included (only 'L' becomes 'l', as RabbitMQ 4.0 reads both as a long).
   */
  @Test
  void everyTypeIsWrittenBackWithTheTagAndOctetsItCameWith() {
    byte[] original = FieldTableSamples.everyType();
    byte[] expected = original.clone();
    int capitalL = indexOf(original, new byte[] {1, 'L', 'L'}) + 2;
    expected[capitalL] = 'l';

    assertArrayEquals(expected, write(read(original, FieldTables::read)));
  }

  @Test
  void aTimestampIsAnySixtyFourBitValueNotJustWhatInstantHolds() {
    byte[] nanosSinceEpoch = table(entry("T", 'T', 0x17, 0x9A, 0x3F, 0x2B, 0x1C, 0, 0, 0));
    byte[] minimum = table(entry("T", 'T', 0x80, 0, 0, 0, 0, 0, 0, 0));

    assertEquals(
        Map.of("T", new AmqpTimestamp(0x179A3F2B1C000000L)),
        read(nanosSinceEpoch, FieldTables::read));
    assertArrayEquals(nanosSinceEpoch, write(read(nanosSinceEpoch, FieldTables::read)));
    assertArrayEquals(minimum, write(read(minimum, FieldTables::read)));
  }

  @Test
  void aLongStringThatIsNotUtf8KeepsItsOctets() {
    byte[] binary = table(entry("k", 'S', 0, 0, 0, 3, 0xC3, 0x28, 0xFF));

    Map<String, Object> decoded = read(binary, FieldTables::read);

    assertEquals(
        Map.of("k", new RawLongString(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF})), decoded);
    assertArrayEquals(binary, write(decoded));
  }

  @Test
  void anUnsignedLongTagIsReadAsALongAndWrittenBackAsOneAsRabbitMqDoes() {
    byte[] capitalL = table(entry("L", 'L', 0, 0, 0, 0, 0, 0, 0, 42));

    Map<String, Object> decoded = read(capitalL, FieldTables::read);

    assertEquals(Map.of("L", 42L), decoded);
    assertArrayEquals(table(entry("L", 'l', 0, 0, 0, 0, 0, 0, 0, 42)), write(decoded));
  }

  @Test
  void tablesWrittenByRabbitMqsJavaClientDecodeToTheSameValues() throws IOException {
    Map<String, Object> table = javaClientComparableTable();
    table.put("longstr", LongStringHelper.asLongString("long"));
    table.put("date", new Date(5_000L));
    Map<String, Object> expected = new LinkedHashMap<>(javaClientComparableTable());
    expected.put("longstr", "long");
    expected.put("date", new AmqpTimestamp(5));
    assertDeepEquals(expected, read(javaClientBytes(table), FieldTables::read));
  }

  @Test
  void tablesAreWrittenByteForByteAsRabbitMqsJavaClientWritesThem() throws IOException {
    Map<String, Object> table = javaClientComparableTable();
    assertArrayEquals(javaClientBytes(table), write(table));
  }

  @Test
  void rabbitMqsJavaClientReadsOurTables() throws IOException {
    Map<String, Object> table = javaClientComparableTable();
    table.put("instant", Instant.ofEpochSecond(77));
    Map<String, Object> read =
        new ValueReader(new DataInputStream(new ByteArrayInputStream(write(table)))).readTable();
    Map<String, Object> expected = new LinkedHashMap<>(javaClientComparableTable());
    expected.put("instant", new Date(77_000L));
    assertDeepEquals(withLongStringsAsStrings(expected), withLongStringsAsStrings(read));
  }

  @Test
  void anUnknownTypeTagIsAFrameError() {
    var e =
        assertThrows(DecodeException.class, () -> read(table(entry("k", 'Q')), FieldTables::read));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }

  @Test
  void aLengthBeyondTheAvailableOctetsIsAFrameError() {
    byte[] bytes = {0, 0, 0, 9, 1, 'k', 'V'};
    var e = assertThrows(DecodeException.class, () -> read(bytes, FieldTables::read));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }

  @Test
  void nestingDeeperThanTheLimitIsAFrameErrorNotAStackOverflow() {
    byte[] table = new byte[4];
    for (int level = 0; level < 10_000; level++) {
      table = table(concat(new byte[] {1, 'k', 'F'}, table));
    }
    byte[] deep = table;
    var e = assertThrows(DecodeException.class, () -> read(deep, FieldTables::read));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }

  @Test
  void aJavaTypeWithoutAnAmqpFieldTypeIsRefusedWhenWriting() {
    assertThrows(IllegalArgumentException.class, () -> write(Map.of("k", new Object())));
    assertThrows(
        IllegalArgumentException.class, () -> write(Map.of("k", new BigDecimal("1e-300"))));
  }

  /** Value types the Java client writes exactly as we do, in an order it keeps. */
  private static Map<String, Object> javaClientComparableTable() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("publisher_confirms", true);
    nested.put("n", 3);
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("string", "wörld");
    table.put("int", -7);
    table.put("long", 1L << 40);
    table.put("short", (short) 300);
    table.put("byte", (byte) 9);
    table.put("bool", false);
    table.put("float", 0.5f);
    table.put("double", -0.25d);
    table.put("decimal", new BigDecimal("3.14"));
    table.put("bytes", new byte[] {4, 5});
    table.put("void", null);
    table.put("capabilities", nested);
    table.put("array", List.of("a", 2, nested));
    return table;
  }

  /** The Java client reads tables into hash maps: compare sorted, with its strings as ours. */
  private static Object withLongStringsAsStrings(Object value) {
    if (value instanceof LongString longString) {
      return longString.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new TreeMap<>();
      map.forEach((k, v) -> copy.put(k, withLongStringsAsStrings(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(withLongStringsAsStrings(v)));
      return copy;
    }
    return value;
  }

  private static byte[] javaClientBytes(Map<String, Object> table) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ValueWriter writer = new ValueWriter(new DataOutputStream(bytes));
    writer.writeTable(table);
    writer.flush();
    return bytes.toByteArray();
  }

  private static Map<String, Object> roundTrip(Map<String, Object> table) {
    return read(write(table), FieldTables::read);
  }

  private static byte[] write(Map<String, ?> table) {
    ByteBuf buf = Unpooled.buffer();
    try {
      FieldTables.write(buf, table);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private static <T> T read(byte[] bytes, Function<ByteBuf, T> reader) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      T value = reader.apply(buf);
      assertFalse(buf.isReadable(), "everything read");
      return value;
    } finally {
      buf.release();
    }
  }
}
