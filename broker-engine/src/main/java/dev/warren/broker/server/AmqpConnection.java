package dev.warren.broker.server;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ClientConnection;
import dev.warren.broker.engine.api.ConnectionDetails;
import dev.warren.broker.engine.api.ConnectionTraffic;
import dev.warren.broker.protocol.AmqpMethod;
import dev.warren.broker.protocol.BasicMethod;
import dev.warren.broker.protocol.ConnectionMethod;
import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.FrameEncoder;
import dev.warren.broker.protocol.ReplyCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: its state, the frames each state allows, the connection class's handshake
 * (what it settles is kept by a {@link ConnectionHandshake}) and close, and the one place where a
 * broken rule becomes a channel.close or a connection.close ({@link #fail}); the channels are
 * {@link OpenChannels}. Runs on the socket's event loop; only {@link #shutdown} may be called from
 * elsewhere.
 */
final class AmqpConnection extends ChannelInboundHandlerAdapter implements ClientConnection {
  private static final System.Logger LOG = System.getLogger(AmqpConnection.class.getName());

  /**
   * How long a closing connection keeps its socket for the peer: to answer our connection.close
   * with close-ok, or to hang up after our close-ok to its own.
   */
  static final Duration CLOSE_OK_TIMEOUT = Duration.ofSeconds(3);

  private final BrokerConfig config;
  private final Broker broker;
  private final Duration handshakeTimeout;
  private final ConnectionRegistry registry;

  private Channel channel;
  private ConnectionHandshake handshake;
  private OutboundFrames outbound;
  private String name;
  private ConnectionState state = ConnectionState.AWAITING_HEADER;
  private OpenChannels channels;
  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> closeOkTimer;
  private PublisherBlocking blocking;
  private volatile ConnectionDetails details;

  AmqpConnection(
      BrokerConfig config, Broker broker, Duration handshakeTimeout, ConnectionRegistry registry) {
    this.config = config;
    this.broker = broker;
    this.handshakeTimeout = handshakeTimeout;
    this.registry = registry;
  }

  // --- Netty events

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    handshake = new ConnectionHandshake(config, broker, channel, System.currentTimeMillis());
    outbound = new OutboundFrames(channel);
    name = channel.remoteAddress() + " -> " + channel.localAddress();
    name = name.replace("/", "");
    LOG.log(System.Logger.Level.INFO, () -> "accepting AMQP connection " + name);
    registry.add(this);
    handshakeTimer =
        ctx.executor()
            .schedule(this::handshakeTimedOut, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    onFrame((Frame) msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    registry.remove(this);
    cancel(handshakeTimer);
    cancel(closeOkTimer);
    if (state == ConnectionState.RUNNING) {
      logClosing(System.Logger.Level.WARNING, ": client unexpectedly closed TCP connection");
    }
    releaseEngineResources();
    state = ConnectionState.CLOSED;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable() && channels != null) {
      channels.resume();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof IdleStateEvent idle)) {
      ctx.fireUserEventTriggered(event);
    } else if (idle.state() == IdleState.WRITER_IDLE) {
      outbound.send(new Frame.Heartbeat());
    } else if (idle.state() == IdleState.READER_IDLE) {
      logClosing(
          System.Logger.Level.WARNING,
          ": missed heartbeats from client, timeout: "
              + handshake.tuning().heartbeatSeconds()
              + "s");
      abort();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.log(System.Logger.Level.DEBUG, () -> "I/O error on AMQP connection " + name, cause);
    } else {
      LOG.log(System.Logger.Level.ERROR, () -> "error on AMQP connection " + name, cause);
    }
    abort();
  }

  // --- inbound frames

  private void onFrame(Frame frame) {
    if (frame instanceof Frame.Malformed malformed) {
      // the decoder has either lost sync (and discards the rest) or can still read a close-ok
      closeWithError(
          new AmqpError(
              ReplyCode.of(malformed.replyCode()),
              malformed.reason(),
              malformed.classId(),
              malformed.methodId()));
    } else if (state == ConnectionState.CLOSING || state == ConnectionState.CLOSED) {
      whileClosing(frame);
    } else if (frame instanceof Frame.ProtocolHeader) {
      onProtocolHeader();
    } else if (frame instanceof Frame.UnsupportedProtocol) {
      refuseProtocol();
    } else if (frame instanceof Frame.Heartbeat) {
      // nothing to do: any inbound bytes already count as a sign of life
    } else if (frame.channel() == 0) {
      onChannelZero(frame);
    } else {
      onChannelFrame(frame);
    }
  }

  private void onProtocolHeader() {
    if (state != ConnectionState.AWAITING_HEADER) {
      fail(0, AmqpError.of(ReplyCode.UNEXPECTED_FRAME, "unexpected protocol header", null));
      return;
    }
    state = ConnectionState.STARTING;
    outbound.send(new Frame.Method(0, handshake.start()));
  }

  /** Not AMQP 0-9-1: answer with the header we speak and hang up, as the spec asks. */
  private void refuseProtocol() {
    logClosing(System.Logger.Level.WARNING, ": unsupported protocol header");
    state = ConnectionState.CLOSED;
    channel.writeAndFlush(FrameEncoder.protocolHeader()).addListener(ChannelFutureListener.CLOSE);
  }

  private void onChannelZero(Frame frame) {
    if (!(frame instanceof Frame.Method method)) {
      discard(frame);
      fail(0, AmqpError.unexpectedFrame(frame));
      return;
    }
    try {
      onConnectionMethod(method.method());
    } catch (BrokerException e) {
      fail(0, AmqpError.from(e, method.method()));
    }
  }

  private void onConnectionMethod(AmqpMethod method) {
    if (method instanceof ConnectionMethod.Close) {
      closeByClient();
    } else if (method instanceof ConnectionMethod.StartOk startOk
        && state == ConnectionState.STARTING) {
      startOk(startOk);
    } else if (method instanceof ConnectionMethod.TuneOk tuneOk
        && state == ConnectionState.TUNING) {
      tuneOk(tuneOk);
    } else if (method instanceof ConnectionMethod.Open open && state == ConnectionState.OPENING) {
      open(open);
    } else if (method instanceof ConnectionMethod.UpdateSecret update
        && state == ConnectionState.RUNNING) {
      updateSecret(update);
    } else {
      throw new BrokerException(
          ReplyCode.CHANNEL_ERROR, "unexpected method in connection state " + state.label());
    }
  }

  private void onChannelFrame(Frame frame) {
    if (state != ConnectionState.RUNNING) {
      discard(frame);
      fail(0, AmqpError.unexpectedFrame(frame));
      return;
    }
    if (frame instanceof Frame.Method method && method.method() instanceof BasicMethod.Publish) {
      blocking.published();
    }
    channels.onFrame(frame);
  }

  // --- the handshake: start-ok, tune-ok, open

  private void startOk(ConnectionMethod.StartOk startOk) {
    blocking =
        new PublisherBlocking(channel, outbound, broker.alarms(), startOk.clientProperties());
    if (handshake.logIn(startOk) instanceof Login.Refused refused) {
      refuseLogin(startOk.mechanism(), refused.reason());
      return;
    }
    state = ConnectionState.TUNING;
    outbound.send(new Frame.Method(0, handshake.proposal()));
  }

  /**
   * RabbitMQ tells the client only the mechanism; the details go to the log, never the password.
   */
  private void refuseLogin(String mechanism, String reason) {
    logClosing(System.Logger.Level.WARNING, ": %s login refused: %s".formatted(mechanism, reason));
    state = ConnectionState.CLOSED;
    if (handshake.clientWantsAuthFailureClose()) {
      outbound.send(new Frame.Method(0, SaslMechanisms.refusal(mechanism).toConnectionClose()));
    }
    closeAfterPendingWrites();
  }

  private void tuneOk(ConnectionMethod.TuneOk tuneOk) {
    try {
      handshake.tune(tuneOk);
    } catch (BrokerException e) {
      // RabbitMQ names connection.tune, the method whose limits were broken, not tune-ok
      fail(0, AmqpError.from(e, handshake.proposal()));
      return;
    }
    state = ConnectionState.OPENING;
  }

  private void open(ConnectionMethod.Open open) {
    details = handshake.describe(name);
    channels =
        new OpenChannels(
            this,
            broker.connect(open.virtualHost(), handshake.user(), this),
            outbound,
            handshake.tuning());
    state = ConnectionState.RUNNING;
    cancel(handshakeTimer);
    outbound.send(new Frame.Method(0, new ConnectionMethod.OpenOk("")));
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "connection %s: user '%s' authenticated and granted access to vhost '%s'"
                .formatted(name, handshake.user(), open.virtualHost()));
  }

  /**
   * connection.update-secret: the new secret must log the same user in with the connection's
   * mechanism (for EXTERNAL the certificate already proved who it is). A refused secret closes the
   * connection with RabbitMQ's 530 text; the log says why, never the secret.
   */
  private void updateSecret(ConnectionMethod.UpdateSecret update) {
    if (!handshake.acceptsNewSecret(update.newSecret())) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              "connection %s: secret update was refused for user '%s'"
                  .formatted(name, handshake.user()));
      throw new BrokerException(
          ReplyCode.NOT_ALLOWED, "New secret was refused by one of the backends");
    }
    outbound.send(new Frame.Method(0, new ConnectionMethod.UpdateSecretOk()));
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "connection %s: user '%s' updated secret, reason: %s"
                .formatted(name, handshake.user(), update.reason()));
  }

  // --- ClientConnection: how listings see this connection, and how an operator closes it

  @Override
  public ConnectionDetails details() {
    return details;
  }

  @Override
  public String state() {
    return blocking == null ? "running" : blocking.state();
  }

  @Override
  public ConnectionTraffic traffic() {
    return channel.pipeline().get(SocketTraffic.class);
  }

  /** Any thread: connection.close with 320 CONNECTION_FORCED and the reason, as RabbitMQ. */
  @Override
  public void forceClose(String reason) {
    channel
        .eventLoop()
        .execute(() -> closeWithError(new AmqpError(ReplyCode.CONNECTION_FORCED, reason, 0, 0)));
  }

  private void handshakeTimedOut() {
    if (state.beforeRunning() && channel.isActive()) {
      logClosing(System.Logger.Level.WARNING, ": handshake timeout");
      abort();
    }
  }

  /** The channel's close handshake is complete: its number may be reused. */
  void channelClosed(int number) {
    if (channels != null) {
      channels.closed(number);
    }
  }

  // --- errors and closing

  /**
   * The one place where a broken rule becomes a close: a soft error on an open channel closes that
   * channel, anything else closes the connection.
   */
  void fail(int channelNumber, AmqpError error) {
    ChannelSession session = channels == null ? null : channels.get(channelNumber);
    if (error.closesConnection() || session == null) {
      closeWithError(error);
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        () ->
            "channel error on connection %s (vhost '%s', user '%s'), channel %d: %s"
                .formatted(
                    name,
                    channels.virtualHost(),
                    handshake.user(),
                    channelNumber,
                    error.replyText()));
    session.closeWithError(error);
  }

  /** Server-initiated connection.close; the socket closes on close-ok or after a timeout. */
  private void closeWithError(AmqpError error) {
    if (state == ConnectionState.CLOSING || state == ConnectionState.CLOSED) {
      return;
    }
    logClosing(
        System.Logger.Level.WARNING,
        " (user '%s'): %s (class %d, method %d)"
            .formatted(handshake.user(), error.replyText(), error.classId(), error.methodId()));
    releaseEngineResources();
    state = ConnectionState.CLOSING;
    outbound.send(new Frame.Method(0, error.toConnectionClose()));
    closeAfterTimeout();
  }

  /**
   * After a close from either side only the connection's own close handshake counts: our close is
   * done with the peer's close-ok; a connection.close (crossing ours, or the client's second one
   * from another thread) is answered with close-ok again, as RabbitMQ does.
   */
  private void whileClosing(Frame frame) {
    discard(frame);
    if (frame.channel() != 0 || !(frame instanceof Frame.Method method)) {
      return;
    }
    if (method.method() instanceof ConnectionMethod.CloseOk && state == ConnectionState.CLOSING) {
      state = ConnectionState.CLOSED;
      channel.close();
    } else if (method.method() instanceof ConnectionMethod.Close) {
      outbound.send(new Frame.Method(0, new ConnectionMethod.CloseOk()));
    }
  }

  /**
   * The client's connection.close: close-ok, then the socket stays until the client hangs up (or
   * {@link #CLOSE_OK_TIMEOUT}), so that a second close racing the first still gets its close-ok.
   */
  private void closeByClient() {
    logClosing(
        System.Logger.Level.INFO,
        " (vhost '%s', user '%s')"
            .formatted(
                channels == null ? "" : channels.virtualHost(),
                handshake.user() == null ? "" : handshake.user()));
    releaseEngineResources();
    cancel(handshakeTimer);
    state = ConnectionState.CLOSED;
    outbound.send(new Frame.Method(0, new ConnectionMethod.CloseOk()));
    closeAfterTimeout();
  }

  private void closeAfterTimeout() {
    closeOkTimer =
        channel
            .eventLoop()
            .schedule(this::abort, CLOSE_OK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Broker shutdown: any thread. Open connections get 320 CONNECTION_FORCED, as in RabbitMQ. */
  void shutdown() {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (state.beforeRunning() || state == ConnectionState.CLOSED) {
                abort();
              } else {
                closeWithError(
                    new AmqpError(
                        ReplyCode.CONNECTION_FORCED,
                        "broker forced connection closure with reason 'shutdown'",
                        0,
                        0));
              }
            });
  }

  Channel nettyChannel() {
    return channel;
  }

  private void abort() {
    releaseEngineResources();
    state = ConnectionState.CLOSED;
    channel.close();
  }

  /** Closes the socket once everything queued before has been written. */
  private void closeAfterPendingWrites() {
    channel
        .eventLoop()
        .execute(
            () -> {
              outbound.drain();
              channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            });
  }

  private void releaseEngineResources() {
    if (blocking != null) {
      blocking.stop();
    }
    if (channels != null) {
      channels.close();
      channels = null;
    }
  }

  /** One line about this connection going away, in RabbitMQ's wording. */
  private void logClosing(System.Logger.Level level, String why) {
    LOG.log(level, () -> "closing AMQP connection " + name + why);
  }

  static void discard(Frame frame) {
    if (frame instanceof Frame.ContentBody body) {
      body.payload().release();
    }
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
