package dev.warren.broker.server;

import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ChannelMethod;
import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.ReplyCode;
import java.util.HashMap;
import java.util.Map;

/**
 * A running connection's channels, by number, on its connection in the engine: channel.open within
 * the negotiated channel_max, each channel's frames to its {@link ChannelSession}, and RabbitMQ's
 * connection errors for a frame on a number that is not open. Event loop only.
 */
final class OpenChannels {
  private final AmqpConnection connection;
  private final BrokerConnection brokerConnection;
  private final OutboundFrames outbound;
  private final Tuning tuning;
  private final Map<Integer, ChannelSession> sessions = new HashMap<>();

  OpenChannels(
      AmqpConnection connection,
      BrokerConnection brokerConnection,
      OutboundFrames outbound,
      Tuning tuning) {
    this.connection = connection;
    this.brokerConnection = brokerConnection;
    this.outbound = outbound;
    this.tuning = tuning;
  }

  String virtualHost() {
    return brokerConnection.virtualHost();
  }

  /** The session of a channel that is open or closing; null for a free number. */
  ChannelSession get(int number) {
    return sessions.get(number);
  }

  /** A frame on any channel but 0. */
  void onFrame(Frame frame) {
    ChannelSession session = sessions.get(frame.channel());
    if (session != null) {
      session.onFrame(frame);
    } else if (frame instanceof Frame.Method method
        && method.method() instanceof ChannelMethod.Open open) {
      open(frame.channel(), open);
    } else if (frame instanceof Frame.Method method) {
      connection.fail(
          0, AmqpError.of(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'", method.method()));
    } else {
      AmqpConnection.discard(frame);
      connection.fail(
          0,
          AmqpError.of(
              ReplyCode.UNEXPECTED_FRAME,
              "expected method frame, got non method frame instead",
              null));
    }
  }

  private void open(int number, ChannelMethod.Open open) {
    int channelMax = tuning.channelMax();
    if (channelMax != 0 && sessions.size() >= channelMax) {
      connection.fail(
          0,
          AmqpError.of(
              ReplyCode.NOT_ALLOWED,
              "number of channels opened (%d) has reached the negotiated channel_max (%d)"
                  .formatted(sessions.size(), channelMax),
              null));
      return;
    }
    ChannelSession session;
    try {
      session =
          new ChannelSession(number, connection, brokerConnection, outbound, tuning.frameMax());
    } catch (BrokerException e) {
      connection.fail(0, AmqpError.from(e, open));
      return;
    }
    sessions.put(number, session);
    session.send(new ChannelMethod.OpenOk(""));
  }

  /** The channel's close handshake is complete: its number may be reused. */
  void closed(int number) {
    sessions.remove(number);
  }

  /** The socket can take more data again. */
  void resume() {
    sessions.values().forEach(ChannelSession::resume);
  }

  /** Closing the engine's connection closes its channels and requeues their unacked messages. */
  void close() {
    sessions.values().forEach(ChannelSession::detach);
    sessions.clear();
    brokerConnection.close();
  }
}
