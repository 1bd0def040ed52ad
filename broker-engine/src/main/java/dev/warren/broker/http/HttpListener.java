package dev.warren.broker.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 listener on the broker's event loops: Netty's codec, bodies aggregated up to a cap,
 * one {@link HttpService} behind it run on worker threads of the listener's own (never on an event
 * loop), and guards against clients that are slow or send too much. Any HTTP surface of the broker
 * (management, metrics) is one of these.
 */
public final class HttpListener implements AutoCloseable {
  /** RFC 7230 recommends supporting at least 8000 octets of request line. */
  private static final int MAX_INITIAL_LINE = 8192;

  private static final int MAX_HEADER_BYTES = 16384;
  private static final int MAX_CHUNK_BYTES = 8192;
  private static final int QUEUED_REQUESTS = 256;

  private final HttpListenerConfig config;
  private final Channel channel;
  private final ThreadPoolExecutor workers;

  private HttpListener(HttpListenerConfig config, Channel channel, ThreadPoolExecutor workers) {
    this.config = config;
    this.channel = channel;
    this.workers = workers;
  }

  /**
   * Binds the listener.
   *
   * @param tls the TLS context for HTTPS, or null for plain HTTP
   * @throws IllegalStateException if the address cannot be bound
   */
  public static HttpListener start(
      HttpListenerConfig config,
      EventLoopGroup acceptors,
      EventLoopGroup eventLoops,
      SslContext tls,
      HttpService service) {
    ThreadPoolExecutor workers = workers(config);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptors, eventLoops)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel socket) {
                    HttpExchangeHandler exchange =
                        new HttpExchangeHandler(config, service, workers);
                    if (tls != null) {
                      socket.pipeline().addLast("tls", tls.newHandler(socket.alloc()));
                    }
                    socket
                        .pipeline()
                        .addLast(
                            "idle",
                            new IdleStateHandler(
                                0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                        .addLast("deadline", exchange.requestClock())
                        .addLast(
                            "codec",
                            new HttpServerCodec(
                                MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                        .addLast("aggregator", new BodyLimit(config.maxBodyBytes(), service))
                        .addLast("exchange", exchange);
                  }
                });
    ChannelFuture bound =
        bootstrap.bind(config.bindAddress(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      workers.shutdownNow();
      throw new IllegalStateException(
          "cannot listen for %s HTTP on %s:%d"
              .formatted(config.name(), config.bindAddress(), config.port()),
          bound.cause());
    }
    return new HttpListener(config, bound.channel(), workers);
  }

  private static ThreadPoolExecutor workers(HttpListenerConfig config) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            config.workerThreads(),
            config.workerThreads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED_REQUESTS),
            task -> {
              Thread thread =
                  new Thread(task, "warren-" + config.name() + "-http-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    workers.allowCoreThreadTimeOut(true);
    return workers;
  }

  /** The port the listener is bound to. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public HttpListenerConfig config() {
    return config;
  }

  /** Stops accepting, closes the listening socket and lets requests in progress finish briefly. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
