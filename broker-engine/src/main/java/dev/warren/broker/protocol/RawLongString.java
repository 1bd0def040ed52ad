package dev.warren.broker.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A long-string field value ({@code S}) whose octets are not valid UTF-8: AMQP long strings are
 * binary, and RabbitMQ passes them on octet for octet (the Java client's LongString carries any
 * bytes). Valid UTF-8, nearly every value, decodes to a String instead.
 */
public record RawLongString(byte[] octets) {

  /** The octets decoded as UTF-8, invalid sequences replaced: for names and comparisons. */
  public String text() {
    return new String(octets, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawLongString that && Arrays.equals(octets, that.octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  @Override
  public String toString() {
    return text();
  }
}
