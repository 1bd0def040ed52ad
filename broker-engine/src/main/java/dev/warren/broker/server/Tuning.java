package dev.warren.broker.server;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ConnectionMethod;
import dev.warren.broker.protocol.ReplyCode;

/**
 * The limits both peers agreed on in connection.tune / tune-ok.
 *
 * @param channelMax highest number of channels open at once; 0 would mean no limit
 * @param frameMax largest frame either side may send, header and end octet included
 * @param heartbeatSeconds heartbeat interval; 0 disables heartbeats
 */
record Tuning(int channelMax, int frameMax, int heartbeatSeconds) {

  /** The spec's minimum: every peer must accept frames of this size. */
  static final int FRAME_MIN_SIZE = 4096;

  private static final int CHANNEL_MIN = 1;

  /** What the server proposes in connection.tune. */
  static ConnectionMethod.Tune proposal(BrokerConfig config) {
    return new ConnectionMethod.Tune(
        config.channelMax(), config.frameMax(), config.heartbeatSeconds());
  }

  /**
   * Accepts the client's tune-ok. As RabbitMQ does, a value below the minimum or above the server's
   * maximum fails the connection with 530; unlike RabbitMQ, 0 ("no limit") is read as the server's
   * own limit so that old clients still connect.
   */
  static Tuning negotiate(BrokerConfig config, ConnectionMethod.TuneOk tuneOk) {
    int frameMax = accept("frame_max", tuneOk.frameMax(), FRAME_MIN_SIZE, config.frameMax());
    int channelMax = accept("channel_max", tuneOk.channelMax(), CHANNEL_MIN, config.channelMax());
    return new Tuning(channelMax, frameMax, tuneOk.heartbeat());
  }

  private static int accept(String field, int clientValue, int min, int serverValue) {
    if (clientValue == 0) {
      return serverValue;
    }
    if (clientValue < min) {
      throw negotiationFailure(field, clientValue, "lower", "minimum", min);
    }
    if (serverValue != 0 && clientValue > serverValue) {
      throw negotiationFailure(field, clientValue, "higher", "maximum", serverValue);
    }
    return clientValue;
  }

  private static BrokerException negotiationFailure(
      String field, int clientValue, String comparison, String bound, int limit) {
    return new BrokerException(
        ReplyCode.NOT_ALLOWED,
        "negotiated %s = %d is %s than the %s allowed value (%d)"
            .formatted(field, clientValue, comparison, bound, limit));
  }
}
