package dev.warren.broker.server;

import dev.warren.broker.engine.api.ConnectionTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts a connection's bytes and socket reads and writes as they pass the head of its pipeline
 * (TLS records included, as RabbitMQ counts them). Only the connection's event loop writes the
 * counts, with plain increments published by opaque stores (no fence, no atomic instruction); the
 * statistics read them from elsewhere.
 */
final class SocketTraffic extends ChannelDuplexHandler implements ConnectionTraffic {
  static final String NAME = "traffic";

  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int OCTETS_RECEIVED = 0;
  private static final int PACKETS_RECEIVED = 1;
  private static final int OCTETS_SENT = 2;
  private static final int PACKETS_SENT = 3;

  private final long[] counts = new long[4];

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      add(OCTETS_RECEIVED, bytes.readableBytes());
      add(PACKETS_RECEIVED, 1);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf bytes) {
      add(OCTETS_SENT, bytes.readableBytes());
      add(PACKETS_SENT, 1);
    }
    ctx.write(msg, promise);
  }

  private void add(int index, long delta) {
    COUNTS.setOpaque(counts, index, (long) COUNTS.getOpaque(counts, index) + delta);
  }

  private long get(int index) {
    return (long) COUNTS.getOpaque(counts, index);
  }

  @Override
  public long octetsReceived() {
    return get(OCTETS_RECEIVED);
  }

  @Override
  public long packetsReceived() {
    return get(PACKETS_RECEIVED);
  }

  @Override
  public long octetsSent() {
    return get(OCTETS_SENT);
  }

  @Override
  public long packetsSent() {
    return get(PACKETS_SENT);
  }
}
