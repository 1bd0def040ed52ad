package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.protocol.BasicMethod;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundFramesTest {

  private static Frame delivery(long tag) {
    return new Frame.Content(
        1,
        new BasicMethod.Deliver("ctag", tag, false, "", "q"),
        BasicProperties.EMPTY,
        "hello".getBytes(StandardCharsets.UTF_8),
        131072);
  }

  /** What the pipeline's encoder makes of the same frames, one buffer per frame. */
  private static byte[] encodedOneByOne(List<Frame> frames) {
    EmbeddedChannel reference = new EmbeddedChannel(FrameEncoder.INSTANCE);
    frames.forEach(reference::writeOutbound);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ByteBuf buf = reference.readOutbound(); buf != null; buf = reference.readOutbound()) {
      bytes.writeBytes(ByteBufUtil.getBytes(buf));
      buf.release();
    }
    assertFalse(reference.finish());
    return bytes.toByteArray();
  }

  @Test
  void aBurstOfFramesIsWrittenAsOneBufferWithTheSameBytesInOrder() {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    OutboundFrames outbound = new OutboundFrames(channel);
    List<Frame> frames = new ArrayList<>();
    for (long tag = 1; tag <= 100; tag++) {
      frames.add(delivery(tag));
    }
    frames.add(new Frame.Method(1, new BasicMethod.Ack(7, true)));
    frames.add(new Frame.Heartbeat());
    frames.forEach(outbound::send);

    channel.runPendingTasks();

    ByteBuf written = channel.readOutbound();
    assertNull(channel.readOutbound(), "one buffer for the whole burst");
    try {
      assertArrayEquals(encodedOneByOne(frames), ByteBufUtil.getBytes(written));
    } finally {
      written.release();
    }
    assertFalse(channel.finish());
  }

  @Test
  void aBurstLargerThanTheBatchSizeIsCutIntoSeveralBuffersThatKeepTheOrder() {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    OutboundFrames outbound = new OutboundFrames(channel);
    List<Frame> frames = new ArrayList<>();
    byte[] body = new byte[10_000];
    for (int i = 0; i < 30; i++) {
      frames.add(
          new Frame.Content(
              1,
              new BasicMethod.Deliver("ctag", i + 1, false, "", "q"),
              BasicProperties.EMPTY,
              body,
              131072));
    }
    frames.forEach(outbound::send);

    channel.runPendingTasks();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int buffers = 0;
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      assertTrue(buf.readableBytes() < OutboundFrames.BATCH_BYTES + 11_000, "bounded buffer");
      bytes.writeBytes(ByteBufUtil.getBytes(buf));
      buf.release();
      buffers++;
    }
    assertTrue(buffers > 1, "cut into " + buffers + " buffers");
    assertArrayEquals(encodedOneByOne(frames), bytes.toByteArray());
    assertFalse(channel.finish());
  }

  @Test
  void framesSentAfterADrainAreWrittenByTheNextDrain() {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    OutboundFrames outbound = new OutboundFrames(channel);
    outbound.send(new Frame.Heartbeat());
    channel.runPendingTasks();
    outbound.send(new Frame.Heartbeat());
    channel.runPendingTasks();

    int buffers = 0;
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      assertEquals(8, buf.readableBytes());
      buf.release();
      buffers++;
    }
    assertEquals(2, buffers);
    assertFalse(channel.finish());
  }
}
