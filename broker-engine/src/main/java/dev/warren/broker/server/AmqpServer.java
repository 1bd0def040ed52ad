package dev.warren.broker.server;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.TlsConfig;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.protocol.FrameDecoder;
import dev.warren.broker.protocol.FrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;

/** The Netty listener in front of the engine: one {@link AmqpConnection} per accepted socket. */
public final class AmqpServer {

  /** RabbitMQ's handshake_timeout: a client has this long to get from TCP connect to open-ok. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Above this much unwritten data a connection stops taking deliveries until it drains. */
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  private final BrokerConfig config;
  private final Broker broker;
  private final Duration handshakeTimeout;
  private final ConnectionRegistry connections = new ConnectionRegistry();
  private final EventLoops loops;
  private final boolean ownLoops;
  private final ConnectionLimit connectionLimit;
  private Channel listener;
  private Channel tlsListener;

  /** A server on the broker's shared event loops, which it leaves running when it stops. */
  public AmqpServer(BrokerConfig config, Broker broker, EventLoops loops) {
    this(config, broker, DEFAULT_HANDSHAKE_TIMEOUT, loops, false);
  }

  /** A server with event loops of its own, released when it stops. */
  public AmqpServer(BrokerConfig config, Broker broker, Duration handshakeTimeout) {
    this(config, broker, handshakeTimeout, EventLoops.create(), true);
  }

  private AmqpServer(
      BrokerConfig config,
      Broker broker,
      Duration handshakeTimeout,
      EventLoops loops,
      boolean ownLoops) {
    this.config = config;
    this.broker = broker;
    this.handshakeTimeout = handshakeTimeout;
    this.loops = loops;
    this.ownLoops = ownLoops;
    this.connectionLimit = new ConnectionLimit(config.security().maxConnections());
  }

  /** Binds the listener (and the AMQPS one, if configured) and returns the AMQP port. */
  public int start() {
    listener = bind(config.port(), null);
    TlsConfig tls = config.security().tls();
    if (tls != null) {
      try {
        tlsListener = bind(tls.port(), TlsSupport.serverContext(tls));
      } catch (RuntimeException e) {
        listener.close().awaitUninterruptibly();
        releaseEventLoops();
        throw e;
      }
    }
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The port the AMQPS listener is bound to, or -1 if there is none. */
  public int tlsPort() {
    return tlsListener == null ? -1 : ((InetSocketAddress) tlsListener.localAddress()).getPort();
  }

  private Channel bind(int port, SslContext tls) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.acceptors(), loops.workers())
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, SocketBuffers.ALLOCATOR)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (connectionLimit.refuses(channel)) {
                      return;
                    }
                    channel.pipeline().addLast(SocketTraffic.NAME, new SocketTraffic());
                    if (tls != null) {
                      channel
                          .pipeline()
                          .addLast("tls", tls.newHandler(channel.alloc()))
                          .addLast("tls-errors", TlsSupport.HANDSHAKE_FAILURES);
                    }
                    channel
                        .pipeline()
                        // until tune-ok only frames of the spec's minimum size, as RabbitMQ 4.0
                        .addLast("decoder", new FrameDecoder(Tuning.FRAME_MIN_SIZE))
                        .addLast("encoder", FrameEncoder.INSTANCE)
                        .addLast(
                            "connection",
                            new AmqpConnection(config, broker, handshakeTimeout, connections));
                  }
                });
    ChannelFuture bound = bootstrap.bind(config.bindAddress(), port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      if (listener == null) {
        releaseEventLoops();
      }
      throw new IllegalStateException(
          "cannot listen on %s:%d".formatted(config.bindAddress(), port), bound.cause());
    }
    return bound.channel();
  }

  /** Closes every connection with 320 CONNECTION_FORCED and releases the event loops. */
  public void stop() {
    if (listener == null) {
      return;
    }
    listener.close().awaitUninterruptibly();
    if (tlsListener != null) {
      tlsListener.close().awaitUninterruptibly();
      tlsListener = null;
    }
    connections.shutdownAll(AmqpConnection.CLOSE_OK_TIMEOUT);
    releaseEventLoops();
    listener = null;
  }

  private void releaseEventLoops() {
    if (ownLoops) {
      loops.close();
    }
  }
}
