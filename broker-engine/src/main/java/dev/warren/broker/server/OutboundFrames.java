package dev.warren.broker.server;

import dev.warren.broker.protocol.Frame;
import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every frame the server sends on one connection goes through here, from whichever thread produced
 * it: replies from the event loop, deliveries, returns and confirms from the engine's threads. One
 * queue keeps them in the order they were produced; one scheduled drain per burst writes them all
 * and flushes once, so a thousand deliveries cost one syscall rather than a thousand.
 */
final class OutboundFrames {
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
    boolean wrote = false;
    for (Frame frame = pending.poll(); frame != null; frame = pending.poll()) {
      channel.write(frame, channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  boolean writable() {
    return channel.isWritable();
  }
}
