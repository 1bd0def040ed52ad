package dev.warren.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link Frame}s. Stateless, so one instance serves every connection. Each frame, including
 * a whole {@link Frame.Content} message, goes into one buffer allocated at (about) its final size;
 * sizes that depend on field tables are patched in after writing instead of being computed twice. A
 * written {@link Frame.ContentBody} has its payload released.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
  public static final FrameEncoder INSTANCE = new FrameEncoder();

  private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  private static final int FRAME_OVERHEAD = 8;
  private static final int FRAME_END = 0xCE;

  /** Room for a method frame and a content header frame; a buffer grows if a table needs more. */
  private static final int METHOD_ESTIMATE = 256;

  private FrameEncoder() {}

  /** What the server sends a client whose protocol header it does not support, before closing. */
  public static ByteBuf protocolHeader() {
    return Unpooled.wrappedBuffer(PROTOCOL_HEADER.clone());
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
    int size = estimate(frame);
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
    write(out, frame);
  }

  /**
   * Appends one frame to {@code out}, which grows as needed. Lets a writer put a whole burst of
   * frames into one buffer instead of one buffer (and one pipeline pass) per frame.
   */
  public static void write(ByteBuf out, Frame frame) {
    if (frame instanceof Frame.Method m) {
      writeMethodFrame(out, m.channel(), m.method());
    } else if (frame instanceof Frame.ContentBody body) {
      try {
        writeBodyFrame(out, body.channel(), body.payload());
      } finally {
        body.payload().release();
      }
    } else if (frame instanceof Frame.Content content) {
      writeContent(out, content);
    } else if (frame instanceof Frame.ContentHeader header) {
      writeHeaderFrame(
          out, header.channel(), header.classId(), header.bodySize(), header.properties());
    } else if (frame instanceof Frame.Heartbeat) {
      out.writeByte(8).writeShort(0).writeInt(0).writeByte(FRAME_END);
    } else if (frame instanceof Frame.ProtocolHeader header) {
      out.writeBytes(PROTOCOL_HEADER, 0, 5);
      out.writeByte(header.major()).writeByte(header.minor()).writeByte(header.revision());
    } else {
      throw new IllegalArgumentException("inbound-only frame cannot be written: " + frame);
    }
  }

  /** About the encoded size of a frame: exact for bodies, a little generous for the rest. */
  public static int estimate(Frame frame) {
    if (frame instanceof Frame.ContentBody body) {
      return FRAME_OVERHEAD + body.payload().readableBytes();
    }
    if (frame instanceof Frame.Content content) {
      int bodyLength = content.body() == null ? 0 : content.body().length;
      int maxPayload = maxBodyPayload(content.frameMax(), bodyLength);
      int bodyFrames = maxPayload == 0 ? 0 : (bodyLength + maxPayload - 1) / maxPayload;
      return METHOD_ESTIMATE + bodyLength + bodyFrames * FRAME_OVERHEAD;
    }
    return frame instanceof Frame.Heartbeat ? FRAME_OVERHEAD : METHOD_ESTIMATE;
  }

  private static void writeMethodFrame(ByteBuf out, int channel, AmqpMethod method) {
    int sizeIndex = startFrame(out, 1, channel);
    MethodEncoder.encode(out, method);
    endFrame(out, sizeIndex);
  }

  private static void writeHeaderFrame(
      ByteBuf out, int channel, int classId, long bodySize, BasicProperties properties) {
    int sizeIndex = startFrame(out, 2, channel);
    ContentHeaderCodec.encode(out, classId, bodySize, properties);
    endFrame(out, sizeIndex);
  }

  private static void writeBodyFrame(ByteBuf out, int channel, ByteBuf payload) {
    out.writeByte(3).writeShort(channel).writeInt(payload.readableBytes());
    out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    out.writeByte(FRAME_END);
  }

  private static void writeContent(ByteBuf out, Frame.Content content) {
    byte[] body = content.body() == null ? new byte[0] : content.body();
    int channel = content.channel();
    writeMethodFrame(out, channel, content.method());
    writeHeaderFrame(out, channel, content.method().classId(), body.length, content.properties());
    int maxPayload = maxBodyPayload(content.frameMax(), body.length);
    for (int offset = 0; offset < body.length; offset += maxPayload) {
      int length = Math.min(maxPayload, body.length - offset);
      out.writeByte(3).writeShort(channel).writeInt(length);
      out.writeBytes(body, offset, length).writeByte(FRAME_END);
    }
  }

  /**
   * Frame max 0 means no limit, and a negative one is an unsigned value beyond any array: the whole
   * body goes in one frame.
   */
  private static int maxBodyPayload(int frameMax, int bodyLength) {
    if (frameMax <= 0) {
      return bodyLength;
    }
    if (frameMax <= FRAME_OVERHEAD) {
      throw new IllegalArgumentException("frame max " + frameMax + " leaves no room for a body");
    }
    return frameMax - FRAME_OVERHEAD;
  }

  /** Writes type and channel and a placeholder for the size; returns where the size goes. */
  private static int startFrame(ByteBuf out, int type, int channel) {
    out.writeByte(type).writeShort(channel);
    int sizeIndex = out.writerIndex();
    out.writeInt(0);
    return sizeIndex;
  }

  private static void endFrame(ByteBuf out, int sizeIndex) {
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - Integer.BYTES);
    out.writeByte(FRAME_END);
  }
}
