package dev.warren.broker.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What travels on an AMQP connection, as the frame decoder emits it and the frame encoder writes
 * it. Decoding never throws: a broken frame becomes a {@link Malformed} value so the connection can
 * still answer with the right reply code before it closes.
 */
public sealed interface Frame {

  /** Channel 0 is the connection itself. */
  int channel();

  /** The eight bytes a client sends first: "AMQP" 0 0 9 1. */
  record ProtocolHeader(int major, int minor, int revision) implements Frame {
    @Override
    public int channel() {
      return 0;
    }
  }

  /** A header that is not AMQP 0-9-1: the server answers with its own and closes the socket. */
  record UnsupportedProtocol() implements Frame {
    @Override
    public int channel() {
      return 0;
    }
  }

  record Method(int channel, AmqpMethod method) implements Frame {}

  record ContentHeader(int channel, int classId, long bodySize, BasicProperties properties)
      implements Frame {}

  /**
   * A content header frame whose properties do not decode. Whether that is a 501 frame error or a
   * 505 unexpected frame depends on whether a header was expected at all, which only the channel
   * knows: RabbitMQ decides by frame type and channel state first.
   */
  record BadContentHeader(int channel, String reason) implements Frame {}

  /** A body frame. The payload is reference-counted: whoever consumes the frame releases it. */
  record ContentBody(int channel, ByteBuf payload) implements Frame {}

  record Heartbeat() implements Frame {
    @Override
    public int channel() {
      return 0;
    }
  }

  /**
   * Input that broke a rule of the framing or the method syntax; {@code replyCode} is the
   * connection error to close with (501 frame error, 502 syntax error, 505 unexpected frame).
   */
  record Malformed(int channel, int replyCode, String reason, int classId, int methodId)
      implements Frame {}

  /**
   * A content-carrying method (basic.deliver, basic.get-ok, basic.return) with its header and body,
   * which the encoder writes as one method frame, one header frame and as many body frames as
   * {@code frameMax} requires. Only ever written, never decoded.
   */
  record Content(
      int channel, AmqpMethod method, BasicProperties properties, byte[] body, int frameMax)
      implements Frame {}
}
