package dev.warren.broker.server;

/** The connection's life, named as RabbitMQ names it in its error texts. */
enum ConnectionState {
  AWAITING_HEADER,
  STARTING,
  TUNING,
  OPENING,
  RUNNING,
  CLOSING,
  CLOSED;

  String label() {
    return name().toLowerCase();
  }

  boolean beforeRunning() {
    return ordinal() < RUNNING.ordinal();
  }
}
