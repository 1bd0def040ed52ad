package dev.warren.broker.protocol;

/**
 * A field value of one of the unsigned integer types Java has no type of its own for: {@code B}
 * (unsigned octet), {@code u} (unsigned short) and {@code i} (unsigned int). It is a {@link
 * Number}, so whatever reads numeric arguments and headers reads these as well; it is not a Short,
 * Integer or Long, so a table goes back on the wire with the type tags it came with, as RabbitMQ
 * passes headers on (typed clients, Go's and .NET's, compare the types).
 */
public final class UnsignedInteger extends Number {
  private static final long serialVersionUID = 1L;

  /** The three unsigned types, with their field-table tag and width. */
  public enum Type {
    OCTET('B', 8),
    SHORT('u', 16),
    INT('i', 32);

    private final char tag;
    private final int bits;

    Type(char tag, int bits) {
      this.tag = tag;
      this.bits = bits;
    }

    public char tag() {
      return tag;
    }

    long max() {
      return (1L << bits) - 1;
    }
  }

  private final Type type;
  private final long value;

  /**
   * @throws IllegalArgumentException if the value does not fit the type
   */
  public UnsignedInteger(Type type, long value) {
    if (value < 0 || value > type.max()) {
      throw new IllegalArgumentException(value + " is not an unsigned " + type);
    }
    this.type = type;
    this.value = value;
  }

  public Type type() {
    return type;
  }

  @Override
  public int intValue() {
    return (int) value;
  }

  @Override
  public long longValue() {
    return value;
  }

  @Override
  public float floatValue() {
    return value;
  }

  @Override
  public double doubleValue() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UnsignedInteger that && type == that.type && value == that.value;
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Long.hashCode(value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
