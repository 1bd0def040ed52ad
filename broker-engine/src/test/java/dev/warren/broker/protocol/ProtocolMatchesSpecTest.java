package dev.warren.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The method records, reply codes and basic properties are checked against the spec table. */
class ProtocolMatchesSpecTest {

  @TestFactory
  List<DynamicTest> everySpecMethodHasAMatchingRecord() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecTable.Method method : SpecTable.methods()) {
      String name = method.className() + "." + method.name();
      tests.add(DynamicTest.dynamicTest(name, () -> assertRecordMatches(method)));
    }
    return tests;
  }

  @Test
  void everyMethodRecordIsInTheSpec() throws ClassNotFoundException {
    Set<Class<?>> specRecords = new HashSet<>();
    for (SpecTable.Method method : SpecTable.methods()) {
      specRecords.add(method.recordClass());
    }
    Set<Class<?>> records = new HashSet<>();
    for (Class<?> amqpClass : AmqpMethod.class.getPermittedSubclasses()) {
      records.addAll(Arrays.asList(amqpClass.getPermittedSubclasses()));
    }
    assertEquals(specRecords, records);
  }

  @Test
  void replyCodesMatchTheSpecConstantsAndErrorClasses() {
    Set<ReplyCode> specified = new HashSet<>();
    for (SpecTable.Constant constant : SpecTable.constants()) {
      boolean replyCode =
          !constant.errorClass().isEmpty() || constant.name().equals("REPLY-SUCCESS");
      if (replyCode) {
        ReplyCode code = ReplyCode.valueOf(constant.name().replace('-', '_'));
        assertEquals(constant.value(), code.code(), constant.name());
        assertEquals(
            constant.errorClass().equals("hard-error"), code.closesConnection(), code.name());
        assertEquals(code, ReplyCode.of(constant.value()));
        specified.add(code);
      }
    }
    assertEquals(Set.of(ReplyCode.values()), specified);
  }

  @Test
  void basicPropertiesMatchTheSpecPropertiesInOrder() {
    List<String> specified =
        SpecTable.basicProperties().stream()
            .map(p -> SpecTable.camelCase(p.name()) + ":" + javaTypeOfProperty(p.type()))
            .toList();
    List<String> actual =
        Arrays.stream(BasicProperties.class.getRecordComponents())
            .map(c -> c.getName() + ":" + c.getType().getSimpleName())
            .toList();
    assertEquals(specified, actual);
  }

  private static void assertRecordMatches(SpecTable.Method method) throws Exception {
    Class<?> record = method.recordClass();
    Class<?> amqpClass = Class.forName(method.interfaceName());
    assertTrue(record.isRecord(), record + " is a record");
    assertTrue(
        Arrays.asList(amqpClass.getPermittedSubclasses()).contains(record),
        record + " is permitted by " + amqpClass);
    assertEquals(method.classId(), amqpClass.getField("CLASS_ID").getInt(null), "CLASS_ID");
    assertEquals(method.methodId(), record.getField("METHOD_ID").getInt(null), "METHOD_ID");

    RecordComponent[] components = record.getRecordComponents();
    assertEquals(
        method.arguments().stream().map(a -> componentName(method, a)).toList(),
        Arrays.stream(components).map(RecordComponent::getName).toList(),
        "arguments in spec order");
    for (int i = 0; i < components.length; i++) {
      String type = method.arguments().get(i).type();
      Class<?> javaType = components[i].getType();
      assertTrue(
          javaTypesOf(type).contains(javaType),
          components[i].getName() + " is " + type + " but declared " + javaType.getSimpleName());
    }

    AmqpMethod instance = instantiateWithDefaults(record);
    assertEquals(method.classId(), instance.classId());
    assertEquals(method.methodId(), instance.methodId());
    assertEquals(method.content(), instance.hasContent(), "hasContent");
  }

  /**
   * The close methods' class-id and method-id name the failing method; as components they would
   * clash with {@link AmqpMethod#classId()} and {@link AmqpMethod#methodId()}.
   */
  private static String componentName(SpecTable.Method method, SpecTable.Argument argument) {
    boolean close = method.name().equals("close");
    return switch (argument.name()) {
      case "class-id" -> close ? "failingClassId" : "classId";
      case "method-id" -> close ? "failingMethodId" : "methodId";
      default -> SpecTable.camelCase(argument.name());
    };
  }

  private static Set<Class<?>> javaTypesOf(String amqpType) {
    return switch (amqpType) {
      case "octet", "short", "long" -> Set.of(int.class);
      case "longlong" -> Set.of(long.class);
      case "bit" -> Set.of(boolean.class);
      case "shortstr" -> Set.of(String.class);
      case "longstr" -> Set.of(String.class, byte[].class);
      case "table" -> Set.of(Map.class);
      case "timestamp" -> Set.of(AmqpTimestamp.class);
      default -> throw new AssertionError("unknown AMQP type " + amqpType);
    };
  }

  private static String javaTypeOfProperty(String amqpType) {
    return switch (amqpType) {
      case "shortstr" -> "String";
      case "table" -> "Map";
      case "octet" -> "Integer";
      case "timestamp" -> "AmqpTimestamp";
      default -> throw new AssertionError("unexpected property type " + amqpType);
    };
  }

  private static AmqpMethod instantiateWithDefaults(Class<?> record) throws Exception {
    Class<?>[] types =
        Arrays.stream(record.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    Constructor<?> constructor = record.getDeclaredConstructor(types);
    Object[] arguments =
        Arrays.stream(types)
            .map(
                t ->
                    t == int.class
                        ? (Object) 0
                        : t == long.class ? (Object) 0L : t == boolean.class ? false : null)
            .collect(Collectors.toList())
            .toArray();
    return (AmqpMethod) constructor.newInstance(arguments);
  }
}
