package dev.warren.broker.engine.api;

/**
 * A count or a level with its rate of change per second over the last sampling interval, as
 * RabbitMQ's management API shows it: {@code "publish": value, "publish_details": {"rate": rate}}.
 */
public record Rated(long value, double rate) {

  public static final Rated ZERO = new Rated(0, 0.0);

  /** The sum of both values and both rates (rates of sums add up). */
  public Rated plus(Rated other) {
    return new Rated(value + other.value, rate + other.rate);
  }
}
