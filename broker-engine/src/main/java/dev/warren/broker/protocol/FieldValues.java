package dev.warren.broker.protocol;

/** What the model needs to know about decoded field values, without the codec (and Netty). */
public final class FieldValues {

  private FieldValues() {}

  /**
   * Whether a field value is an integer of any width or signedness: RabbitMQ's {@code int} type
   * class, in which arguments and header patterns compare by value, whatever their tags.
   */
  public static boolean isInteger(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof UnsignedInteger;
  }
}
