package dev.warren.broker.server;

import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every frame the server sends on one connection goes through here, from whichever thread produced
 * it: replies from the event loop, deliveries, returns and confirms from the engine's threads. One
 * queue keeps them in the order they were produced; one scheduled drain per burst encodes them all
 * into as few buffers as possible and flushes once, so a thousand deliveries cost one buffer, one
 * pipeline pass and one syscall rather than a thousand of each.
 */
final class OutboundFrames {
  /** A burst is cut into buffers of about this size, so that no buffer grows without bound. */
  static final int BATCH_BYTES = 64 * 1024;

  private static final int INITIAL_BATCH_BYTES = 2048;

  private final Channel channel;
  private final Queue<Frame> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  OutboundFrames(Channel channel) {
    this.channel = channel;
  }

  /** Queues a frame; never blocks. Frames sent after the socket closed are dropped. */
  void send(Frame frame) {
    pending.add(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      // even on the event loop: the drain then runs after the current read batch, coalescing
      channel.eventLoop().execute(this::drain);
    }
  }

  /** Writes and flushes everything queued so far. Event loop only. */
  void drain() {
    drainScheduled.set(false);
    ByteBuf batch = null;
    boolean wrote = false;
    try {
      for (Frame frame = pending.poll(); frame != null; frame = pending.poll()) {
        if (batch == null) {
          batch =
              channel.alloc().ioBuffer(Math.max(INITIAL_BATCH_BYTES, FrameEncoder.estimate(frame)));
        }
        FrameEncoder.write(batch, frame);
        if (batch.readableBytes() >= BATCH_BYTES) {
          channel.write(batch, channel.voidPromise());
          batch = null;
          wrote = true;
        }
      }
      if (batch != null) {
        channel.write(batch, channel.voidPromise());
        batch = null;
        wrote = true;
      }
    } catch (RuntimeException e) {
      // a frame that cannot be encoded is a bug: the connection goes, as the pipeline would do
      if (batch != null) {
        batch.release();
      }
      channel.pipeline().fireExceptionCaught(e);
    }
    if (wrote) {
      channel.flush();
    }
  }

  boolean writable() {
    return channel.isWritable();
  }
}
