package dev.warren.broker.engine.api;

/**
 * Message levels with their rates of change: ready to deliver, delivered and awaiting an
 * acknowledgement, and both together (RabbitMQ's {@code messages}, {@code messages_ready}, {@code
 * messages_unacknowledged}).
 */
public record MessageTotals(Rated messages, Rated ready, Rated unacknowledged) {

  public static final MessageTotals ZERO = new MessageTotals(Rated.ZERO, Rated.ZERO, Rated.ZERO);
}
