package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.CodecHarness.assertDeepEquals;
import static dev.warren.broker.protocol.CodecHarness.decodeFrames;
import static dev.warren.broker.protocol.CodecHarness.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every method of the spec, with non-default values in every field and every bit set alone, all set
 * and none set, survives encoding and decoding, and is written exactly as RabbitMQ's Java client
 * writes it.
 */
class MethodCodecTest {
  private static final int[] CHANNELS = {0, 1, 65535};

  @TestFactory
  List<DynamicTest> everyMethodRoundTripsWhetherFedByteByByteOrAllAtOnce() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecTable.Method method : SpecTable.methods()) {
      tests.add(
          DynamicTest.dynamicTest(
              method.className() + "." + method.name(),
              () -> {
                List<Frame> frames = framesOf(samples(method));
                byte[] bytes = encode(frames.toArray(Frame[]::new));
                assertDeepEquals(frames, decodeFrames(bytes, bytes.length));
                assertDeepEquals(frames, decodeFrames(bytes, 1));
              }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> everyMethodIsWrittenByteForByteLikeRabbitMqsJavaClient() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecTable.Method method : SpecTable.methods()) {
      tests.add(
          DynamicTest.dynamicTest(
              method.className() + "." + method.name(),
              () -> {
                for (AmqpMethod sample : samples(method)) {
                  var clientMethod = javaClientMethod(method, sample);
                  ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
                  clientMethod.toFrame(7).writeTo(new DataOutputStream(clientBytes));
                  byte[] ours = encode(new Frame.Method(7, inOrderOf(clientMethod, sample)));
                  assertArrayEquals(clientBytes.toByteArray(), ours, sample.toString());
                }
              }));
    }
    return tests;
  }

  @Test
  void manyFramesInOneBufferDecodeInOrderWhateverTheFragmentation() throws Exception {
    List<AmqpMethod> all = new ArrayList<>();
    for (SpecTable.Method method : SpecTable.methods()) {
      all.addAll(samples(method));
    }
    List<Frame> frames = framesOf(all);
    byte[] bytes = encode(frames.toArray(Frame[]::new));
    for (int chunk : new int[] {bytes.length, 1, 7, 4096}) {
      assertDeepEquals(frames, decodeFrames(bytes, chunk));
    }
  }

  @Test
  void consecutiveBitsArePackedIntoOneOctetFromTheLowestBitUp() {
    var declare = new QueueMethod.Declare(0, "q", true, false, false, false, true, Map.of());
    byte[] bytes = encode(new Frame.Method(1, declare));
    // frame header 7, class+method 4, ticket 2, "q" 2: then the bits, then the empty table
    assertEquals(0b1_0001, bytes[7 + 4 + 2 + 2]);
    assertEquals(7 + 4 + 2 + 2 + 1 + 4 + 1, bytes.length);
  }

  @Test
  void anOverlongReplyTextIsCutToTheLastWholeCharacterWithin255Octets() {
    String text = "x" + "€".repeat(100); // 1 + 300 octets
    byte[] bytes = encode(new Frame.Method(0, new ConnectionMethod.Close(541, text, 0, 0)));
    var decoded = (Frame.Method) decodeFrames(bytes, bytes.length).get(0);
    String replyText = ((ConnectionMethod.Close) decoded.method()).replyText();
    assertEquals("x" + "€".repeat(84), replyText);
    assertTrue(replyText.getBytes(StandardCharsets.UTF_8).length <= 255);
  }

  private static List<Frame> framesOf(List<AmqpMethod> methods) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      frames.add(new Frame.Method(CHANNELS[i % CHANNELS.length], methods.get(i)));
    }
    return frames;
  }

  /** One instance with every bit set, one with none, one per bit with only that bit set. */
  static List<AmqpMethod> samples(SpecTable.Method method) throws Exception {
    List<SpecTable.Argument> arguments = method.arguments();
    long bitCount = arguments.stream().filter(a -> a.type().equals("bit")).count();
    List<AmqpMethod> samples = new ArrayList<>();
    samples.add(sample(method, i -> true, true));
    if (bitCount > 0) {
      samples.add(sample(method, i -> false, false));
    }
    if (bitCount > 1) {
      for (int bit = 0; bit < bitCount; bit++) {
        int only = bit;
        samples.add(sample(method, i -> i == only, bit % 2 == 0));
      }
    }
    return samples;
  }

  private interface BitPattern {
    boolean isSet(int bitIndex);
  }

  private static AmqpMethod sample(SpecTable.Method method, BitPattern bits, boolean extremes)
      throws Exception {
    Class<?> record = method.recordClass();
    RecordComponent[] components = record.getRecordComponents();
    Object[] values = new Object[components.length];
    int bitIndex = 0;
    for (int i = 0; i < components.length; i++) {
      String type = method.arguments().get(i).type();
      String name = components[i].getName();
      values[i] =
          switch (type) {
            case "bit" -> bits.isSet(bitIndex++);
            case "octet" -> extremes ? 255 : 7;
            case "short" -> extremes ? 65535 : 0x1234;
            case "long" -> extremes ? -1 : 0x12345678;
            case "longlong" -> extremes ? -1L : 42L;
            case "shortstr" -> "ü-" + name;
            case "longstr" ->
                components[i].getType() == byte[].class
                    ? new byte[] {0, 1, (byte) 0xFF, 42}
                    : "€-" + name;
            case "table" -> sampleTable(name);
            default -> throw new AssertionError(type);
          };
    }
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    return (AmqpMethod) record.getDeclaredConstructor(types).newInstance(values);
  }

  /** Only value types that RabbitMQ's Java client writes the same way. */
  private static Map<String, Object> sampleTable(String name) {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("depth", 2);
    nested.put("flag", false);
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("name", name);
    table.put("x-max-length", 10);
    table.put("x-message-ttl", 60_000L);
    table.put("capabilities", nested);
    table.put("list", List.of("a", 1, true));
    table.put("bytes", new byte[] {1, 2, 3});
    table.put("decimal", new BigDecimal("12.345"));
    table.put("double", 1.5d);
    table.put("float", 2.5f);
    table.put("short", (short) -3);
    table.put("byte", (byte) -4);
    table.put("void", null);
    return table;
  }

  private static com.rabbitmq.client.impl.Method javaClientMethod(
      SpecTable.Method method, AmqpMethod sample) throws Exception {
    String name =
        AMQImpl.class.getName()
            + "$"
            + SpecTable.pascalCase(method.className())
            + "$"
            + SpecTable.pascalCase(method.name());
    RecordComponent[] components = sample.getClass().getRecordComponents();
    Constructor<?> constructor =
        Arrays.stream(Class.forName(name).getConstructors())
            .filter(c -> c.getParameterCount() == components.length)
            .filter(
                c ->
                    components.length != 1
                        || !c.getParameterTypes()[0].getName().endsWith("Reader"))
            .findFirst()
            .orElseThrow();
    Object[] arguments = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      Object value = components[i].getAccessor().invoke(sample);
      if (constructor.getParameterTypes()[i] == LongString.class) {
        value =
            value instanceof byte[] bytes
                ? LongStringHelper.asLongString(bytes)
                : LongStringHelper.asLongString((String) value);
      }
      arguments[i] = value;
    }
    return (com.rabbitmq.client.impl.Method) constructor.newInstance(arguments);
  }

  /**
   * The Java client copies a method's table into a hash map, so its entries come out in hash order;
   * the same sample with the table in that order is what must encode identically.
   */
  private static AmqpMethod inOrderOf(Object clientMethod, AmqpMethod sample) throws Exception {
    RecordComponent[] components = sample.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = components[i].getAccessor().invoke(sample);
      if (types[i] == Map.class) {
        String getter = "get" + SpecTable.pascalCase(components[i].getName());
        Map<?, ?> clientTable =
            (Map<?, ?>) clientMethod.getClass().getMethod(getter).invoke(clientMethod);
        values[i] = new LinkedHashMap<>(clientTable);
      }
    }
    return (AmqpMethod) sample.getClass().getDeclaredConstructor(types).newInstance(values);
  }
}
