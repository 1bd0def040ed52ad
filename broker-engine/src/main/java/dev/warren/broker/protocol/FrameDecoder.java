package dev.warren.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the inbound byte stream of one connection into {@link Frame}s: first the eight-byte
 * protocol header, then frames of type octet, channel short, size long, payload and the frame-end
 * octet 0xCE. Never throws for bad input; it emits {@link Frame.Malformed} instead:
 *
 * <ul>
 *   <li>501 for a frame larger than the frame max, an unknown frame type or a wrong frame end. The
 *       stream has lost sync, so all further input is discarded;
 *   <li>540 for an unknown class or method id, 501 for method arguments that do not decode (as
 *       RabbitMQ answers). The framing is intact, so decoding goes on and the session can still
 *       read the client's connection.close-ok;
 *   <li>a content header whose properties do not decode is a {@link Frame.BadContentHeader}: the
 *       session knows whether a header was expected there (then 501) or not (505);
 *   <li>501 for a heartbeat with a payload, 505 for a heartbeat on a channel other than 0.
 * </ul>
 *
 * After a header that is not AMQP 0-9-1 it emits {@link Frame.UnsupportedProtocol} once and
 * discards the rest. Body payloads are retained slices of the input, no copies: whoever consumes a
 * {@link Frame.ContentBody} releases it. Not sharable: one instance per connection.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  /**
   * The limit when the peers agreed on frame max 0 ("no limit"), so that one frame cannot make us
   * buffer an arbitrary amount: well above the largest message (16 MiB) and its header.
   */
  static final long UNLIMITED_FRAME_MAX = 128L * 1024 * 1024;

  private static final int PROTOCOL_HEADER_SIZE = 8;
  private static final int FRAME_HEADER_SIZE = 7;
  private static final int FRAME_END = 0xCE;
  private static final int METHOD_FRAME = 1;
  private static final int HEADER_FRAME = 2;
  private static final int BODY_FRAME = 3;
  private static final int HEARTBEAT_FRAME = 8;

  private enum State {
    PROTOCOL_HEADER,
    FRAMES,
    DISCARDING
  }

  private State state = State.PROTOCOL_HEADER;
  private long frameMax;

  /**
   * @param frameMax the frame max until {@link #setFrameMax} is called with the negotiated one (the
   *     server uses the spec's minimum, 4096: nothing before tune-ok needs more)
   */
  public FrameDecoder(int frameMax) {
    setFrameMax(frameMax);
  }

  /**
   * The negotiated frame max, from connection.tune-ok; 0 means no limit. Call on the channel's
   * event loop. Like RabbitMQ, a payload of up to {@code frameMax} octets is accepted, not just
   * {@code frameMax - 8}: some clients get the frame overhead wrong by those eight octets.
   */
  public void setFrameMax(int frameMax) {
    long unsigned = Integer.toUnsignedLong(frameMax);
    this.frameMax = unsigned == 0 ? UNLIMITED_FRAME_MAX : Math.min(unsigned, UNLIMITED_FRAME_MAX);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case PROTOCOL_HEADER -> decodeProtocolHeader(in, out);
      case FRAMES -> decodeFrame(in, out);
      case DISCARDING -> in.skipBytes(in.readableBytes());
    }
  }

  private void decodeProtocolHeader(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < PROTOCOL_HEADER_SIZE) {
      return;
    }
    int start = in.readerIndex();
    boolean amqp091 =
        in.getByte(start) == 'A'
            && in.getByte(start + 1) == 'M'
            && in.getByte(start + 2) == 'Q'
            && in.getByte(start + 3) == 'P'
            && in.getByte(start + 4) == 0
            && in.getByte(start + 5) == 0
            && in.getByte(start + 6) == 9
            && in.getByte(start + 7) == 1;
    in.skipBytes(PROTOCOL_HEADER_SIZE);
    if (amqp091) {
      state = State.FRAMES;
      out.add(new Frame.ProtocolHeader(0, 9, 1));
    } else {
      state = State.DISCARDING;
      in.skipBytes(in.readableBytes());
      out.add(new Frame.UnsupportedProtocol());
    }
  }

  private void decodeFrame(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < FRAME_HEADER_SIZE) {
      return;
    }
    int start = in.readerIndex();
    int type = in.getUnsignedByte(start);
    int channel = in.getUnsignedShort(start + 1);
    long size = in.getUnsignedInt(start + 3);
    // Checked before waiting for the payload, so an oversized frame is never buffered.
    if (size > frameMax) {
      loseSync(in, out, channel, "frame size " + size + " exceeds frame max " + frameMax);
      return;
    }
    if (type != METHOD_FRAME
        && type != HEADER_FRAME
        && type != BODY_FRAME
        && type != HEARTBEAT_FRAME) {
      loseSync(in, out, channel, "unknown frame type " + type);
      return;
    }
    int payloadSize = (int) size;
    if (in.readableBytes() < FRAME_HEADER_SIZE + payloadSize + 1) {
      return;
    }
    int payloadStart = start + FRAME_HEADER_SIZE;
    int frameEnd = in.getUnsignedByte(payloadStart + payloadSize);
    if (frameEnd != FRAME_END) {
      loseSync(in, out, channel, "invalid frame end marker 0x" + Integer.toHexString(frameEnd));
      return;
    }
    in.readerIndex(payloadStart + payloadSize + 1);
    out.add(
        switch (type) {
          case METHOD_FRAME -> method(channel, in.slice(payloadStart, payloadSize));
          case HEADER_FRAME -> contentHeader(channel, in.slice(payloadStart, payloadSize));
          case BODY_FRAME ->
              new Frame.ContentBody(channel, in.retainedSlice(payloadStart, payloadSize));
          default -> heartbeat(channel, payloadSize);
        });
  }

  private static Frame method(int channel, ByteBuf payload) {
    int classId = payload.readableBytes() >= 2 ? payload.getUnsignedShort(0) : 0;
    int methodId = payload.readableBytes() >= 4 ? payload.getUnsignedShort(2) : 0;
    try {
      return new Frame.Method(channel, MethodDecoder.decode(payload));
    } catch (DecodeException e) {
      return malformed(channel, e.replyCode(), e.getMessage(), classId, methodId);
    } catch (IndexOutOfBoundsException e) {
      return malformed(
          channel, ReplyCode.FRAME_ERROR, "method arguments are truncated", classId, methodId);
    }
  }

  private static Frame contentHeader(int channel, ByteBuf payload) {
    try {
      return ContentHeaderCodec.decode(channel, payload);
    } catch (DecodeException e) {
      return new Frame.BadContentHeader(channel, "content header: " + e.getMessage());
    } catch (IndexOutOfBoundsException e) {
      return new Frame.BadContentHeader(channel, "content header is truncated");
    }
  }

  private static Frame heartbeat(int channel, int payloadSize) {
    if (payloadSize != 0) {
      return malformed(
          channel, ReplyCode.FRAME_ERROR, "heartbeat frame with " + payloadSize + " octets", 0, 0);
    }
    if (channel != 0) {
      return malformed(
          channel, ReplyCode.UNEXPECTED_FRAME, "heartbeat frame on channel " + channel, 0, 0);
    }
    return new Frame.Heartbeat();
  }

  private void loseSync(ByteBuf in, List<Object> out, int channel, String reason) {
    state = State.DISCARDING;
    in.skipBytes(in.readableBytes());
    out.add(malformed(channel, ReplyCode.FRAME_ERROR, reason, 0, 0));
  }

  private static Frame.Malformed malformed(
      int channel, ReplyCode code, String reason, int classId, int methodId) {
    return new Frame.Malformed(channel, code.code(), reason, classId, methodId);
  }
}
