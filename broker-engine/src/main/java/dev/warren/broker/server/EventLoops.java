package dev.warren.broker.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The broker's Netty threads: one acceptor and the I/O workers. Every listener of a broker (AMQP,
 * AMQPS, the management and metrics HTTP listeners) runs on the same ones.
 */
public final class EventLoops implements AutoCloseable {
  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;

  private EventLoops(EventLoopGroup acceptors, EventLoopGroup workers) {
    this.acceptors = acceptors;
    this.workers = workers;
  }

  public static EventLoops create() {
    return new EventLoops(
        new NioEventLoopGroup(1, new DefaultThreadFactory("warren-accept")),
        new NioEventLoopGroup(0, new DefaultThreadFactory("warren-io")));
  }

  public EventLoopGroup acceptors() {
    return acceptors;
  }

  public EventLoopGroup workers() {
    return workers;
  }

  @Override
  public void close() {
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
