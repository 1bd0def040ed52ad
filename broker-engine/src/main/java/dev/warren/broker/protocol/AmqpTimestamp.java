package dev.warren.broker.protocol;

import java.time.Instant;

/**
 * An AMQP timestamp (the {@code timestamp} property, a {@code T} field value): seconds since the
 * epoch as a 64-bit value, any of them. Not an {@link Instant}, whose range ends near ±3.2e16
 * seconds: some clients send nanoseconds since the epoch (1.7e18 today), and RabbitMQ passes every
 * value on unchanged.
 */
public record AmqpTimestamp(long epochSeconds) {

  public static AmqpTimestamp of(Instant instant) {
    return new AmqpTimestamp(instant.getEpochSecond());
  }

  /** The instant, or {@link Instant#MIN} / {@link Instant#MAX} beyond the range Instant has. */
  public Instant toInstant() {
    if (epochSeconds < Instant.MIN.getEpochSecond()) {
      return Instant.MIN;
    }
    if (epochSeconds > Instant.MAX.getEpochSecond()) {
      return Instant.MAX;
    }
    return Instant.ofEpochSecond(epochSeconds);
  }
}
