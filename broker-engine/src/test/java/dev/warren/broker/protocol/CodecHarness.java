package dev.warren.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Drives the real encoder and decoder through {@link EmbeddedChannel}s and compares results. */
final class CodecHarness {
  static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  static final int FRAME_MAX = 131072;

  /** A decoded body frame, copied out so that the test holds no reference-counted buffer. */
  record Body(int channel, byte[] bytes) {}

  private CodecHarness() {}

  static byte[] encode(Frame... frames) {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    for (Frame frame : frames) {
      channel.writeOutbound(frame);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      bytes.writeBytes(ByteBufUtil.getBytes(buf));
      buf.release();
    }
    assertFalse(channel.finish());
    return bytes.toByteArray();
  }

  /** Decodes frames that follow a valid protocol header, which is checked and left out. */
  static List<Object> decodeFrames(byte[] frames, int chunkSize) {
    byte[] stream = Arrays.copyOf(PROTOCOL_HEADER, PROTOCOL_HEADER.length + frames.length);
    System.arraycopy(frames, 0, stream, PROTOCOL_HEADER.length, frames.length);
    List<Object> decoded = decodeStream(stream, chunkSize, FRAME_MAX);
    assertEquals(new Frame.ProtocolHeader(0, 9, 1), decoded.remove(0));
    return decoded;
  }

  /** Feeds raw bytes in chunks of {@code chunkSize} (the last may be shorter). */
  static List<Object> decodeStream(byte[] stream, int chunkSize, int frameMax) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(frameMax));
    for (int offset = 0; offset < stream.length; offset += chunkSize) {
      int length = Math.min(chunkSize, stream.length - offset);
      channel.writeInbound(Unpooled.copiedBuffer(stream, offset, length));
    }
    List<Object> decoded = new ArrayList<>();
    for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
      if (frame instanceof Frame.ContentBody body) {
        decoded.add(new Body(body.channel(), ByteBufUtil.getBytes(body.payload())));
        body.payload().release();
      } else {
        decoded.add(frame);
      }
    }
    assertFalse(channel.finish());
    return decoded;
  }

  /** Like {@code assertEquals}, but byte arrays inside records and maps compare by content. */
  static void assertDeepEquals(Object expected, Object actual) {
    assertEquals(normalize(expected), normalize(actual), () -> expected + " vs " + actual);
  }

  private static Object normalize(Object value) {
    if (value instanceof byte[] bytes) {
      return "bytes" + Arrays.toString(bytes);
    }
    if (value instanceof Record record) {
      List<Object> components = new ArrayList<>();
      components.add(record.getClass().getName());
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          components.add(normalize(component.getAccessor().invoke(record)));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return components;
    }
    if (value instanceof Map<?, ?> map) {
      List<Object> entries = new ArrayList<>();
      map.forEach((k, v) -> entries.add(Arrays.asList(k, normalize(v))));
      return entries;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CodecHarness::normalize).toList();
    }
    return value;
  }
}
