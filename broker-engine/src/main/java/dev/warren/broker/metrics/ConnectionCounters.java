package dev.warren.broker.metrics;

import dev.warren.broker.engine.api.ConnectionTraffic;

/** A connection's traffic, as counted by its front end, with its rates. */
public final class ConnectionCounters {
  /** Layout of {@link #values}. */
  public static final int OCTETS_RECEIVED = 0;

  public static final int PACKETS_RECEIVED = 1;
  public static final int OCTETS_SENT = 2;
  public static final int PACKETS_SENT = 3;
  public static final int VALUES = 4;

  private final ConnectionTraffic traffic;
  private final RateWindow rates = new RateWindow();

  public ConnectionCounters(ConnectionTraffic traffic) {
    this.traffic = traffic;
  }

  /** The current counts, laid out by the constants above. */
  public long[] values() {
    return new long[] {
      traffic.octetsReceived(),
      traffic.packetsReceived(),
      traffic.octetsSent(),
      traffic.packetsSent()
    };
  }

  public RateWindow rates() {
    return rates;
  }
}
