package dev.warren.broker.server;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.protocol.AmqpMethod;
import dev.warren.broker.protocol.BasicMethod;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.ChannelMethod;
import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.ReplyCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One open AMQP channel: it routes the channel's frames (methods to {@link ChannelMethods}, content
 * to a {@link ContentAssembler}), follows the channel close handshake, and turns what the engine
 * pushes (deliveries, returns, confirms, cancellations) into outbound frames.
 *
 * <p>Frames are handled on the connection's event loop; listener calls come from any thread.
 */
final class ChannelSession implements ChannelListener {
  private static final System.Logger LOG = System.getLogger(ChannelSession.class.getName());

  private final int number;
  private final AmqpConnection connection;
  private final OutboundFrames outbound;
  private final int frameMax;
  private final ContentAssembler content = new ContentAssembler();
  private final BrokerChannel brokerChannel;
  private final ChannelMethods methods;

  /** Set once the channel is closing or closed: the engine's late pushes are then dropped. */
  private volatile boolean detached;

  private final Object outboundLock = new Object();

  /** Non-null while basic.consume runs, so that consume-ok precedes the consumer's deliveries. */
  private List<Frame> heldFrames;

  /**
   * Non-null while a method waits for the engine (a topology change the cluster decides): the
   * channel's later frames wait here, so that they are handled in order, after its reply.
   */
  private ArrayDeque<Frame> waitingFrames;

  ChannelSession(
      int number,
      AmqpConnection connection,
      BrokerConnection brokerConnection,
      OutboundFrames outbound,
      int frameMax) {
    this.number = number;
    this.connection = connection;
    this.outbound = outbound;
    this.frameMax = frameMax;
    // the engine may push to this listener once openChannel returns: what it touches is set above
    this.brokerChannel = brokerConnection.openChannel(number, this);
    this.methods = new ChannelMethods(this, brokerChannel);
  }

  void onFrame(Frame frame) {
    if (detached) {
      whileClosing(frame);
      return;
    }
    if (waitingFrames != null) {
      waitingFrames.add(frame);
      return;
    }
    AmqpMethod cause = null;
    try {
      if (frame instanceof Frame.Method method) {
        // mid-content, RabbitMQ blames the publish whose content was interrupted
        cause = content.inProgress() ? content.pendingPublish() : method.method();
        onMethod(method.method());
      } else if (frame instanceof Frame.ContentHeader header) {
        cause = content.pendingPublish();
        content.header(header).ifPresent(methods::publish);
      } else if (frame instanceof Frame.ContentBody body) {
        cause = content.pendingPublish();
        content.body(body).ifPresent(methods::publish);
      } else if (frame instanceof Frame.BadContentHeader bad) {
        cause = content.pendingPublish();
        content.expectHeader();
        throw new BrokerException(ReplyCode.FRAME_ERROR, bad.reason());
      } else {
        throw new BrokerException(
            ReplyCode.UNEXPECTED_FRAME, "unexpected " + frame + " on channel " + number);
      }
    } catch (BrokerException e) {
      connection.fail(number, AmqpError.from(e, cause));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "internal error on channel " + number, e);
      connection.fail(number, AmqpError.of(ReplyCode.INTERNAL_ERROR, "internal error", cause));
    }
  }

  private void onMethod(AmqpMethod method) {
    if (content.inProgress()) {
      throw content.interruptedByMethod();
    }
    if (method instanceof BasicMethod.Publish publish) {
      content.start(publish);
    } else if (method instanceof ChannelMethod.Close) {
      closeByClient();
    } else if (!(method instanceof ChannelMethod.CloseOk)) {
      // a stray close-ok confirms nothing, so it is ignored
      methods.handle(method);
    }
  }

  private void closeByClient() {
    detach();
    send(new ChannelMethod.CloseOk());
    connection.channelClosed(number);
  }

  /**
   * A channel error: the engine's channel is closed at once, and until the client's close-ok
   * everything but channel.close and close-ok is ignored (the spec's rule, which RabbitMQ follows).
   */
  void closeWithError(AmqpError error) {
    detach();
    send(error.toChannelClose());
  }

  /**
   * A failure the engine reports on another thread (the store's, for a commit): it becomes a close
   * on the event loop, as one found there would.
   */
  void failLater(Throwable failure, AmqpMethod cause) {
    AmqpError error =
        failure instanceof BrokerException refused
            ? AmqpError.from(refused, cause)
            : AmqpError.of(ReplyCode.INTERNAL_ERROR, "internal error", cause);
    connection.nettyChannel().eventLoop().execute(() -> connection.fail(number, error));
  }

  /**
   * Answers a method once the engine's stage completes: at once if it already has (a broker that is
   * not clustered), else later on the event loop, holding the channel's later frames until then. A
   * failed stage closes the channel (or the connection) as a thrown error would.
   */
  <T> void await(CompletionStage<T> stage, AmqpMethod cause, Consumer<T> reply) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (future.isDone()) {
      reply.accept(BrokerChannel.join(future));
      return;
    }
    waitingFrames = new ArrayDeque<>();
    future.whenComplete(
        (value, failure) ->
            connection
                .nettyChannel()
                .eventLoop()
                .execute(() -> resume(value, failure, cause, reply)));
  }

  /** On the event loop: the awaited stage completed; answer, then handle what waited. */
  private <T> void resume(T value, Throwable failure, AmqpMethod cause, Consumer<T> reply) {
    ArrayDeque<Frame> waited = waitingFrames;
    waitingFrames = null;
    if (detached) {
      waited.forEach(ChannelSession::release);
      return;
    }
    Throwable error = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
    try {
      if (error != null) {
        throw error instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException(error);
      }
      reply.accept(value);
    } catch (BrokerException e) {
      connection.fail(number, AmqpError.from(e, cause));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "internal error on channel " + number, e);
      connection.fail(number, AmqpError.of(ReplyCode.INTERNAL_ERROR, "internal error", cause));
    }
    // each frame may start another wait, which the rest then joins, in order
    for (Frame frame = waited.poll(); frame != null; frame = waited.poll()) {
      onFrame(frame);
    }
  }

  /** The connection is going away: no close handshake, just release the engine's channel. */
  void detach() {
    synchronized (outboundLock) {
      // under the lock that queues the engine's frames: none is queued after this channel's
      // close-ok, which the client may follow with a new channel of the same number
      detached = true;
      heldFrames = null; // a consume still awaiting its queue's node: its frames are moot
    }
    content.reset();
    brokerChannel.close();
    if (waitingFrames != null) {
      waitingFrames.forEach(ChannelSession::release);
      waitingFrames.clear();
    }
  }

  private static void release(Frame frame) {
    if (frame instanceof Frame.ContentBody body) {
      body.payload().release();
    }
  }

  /**
   * Our channel.close awaits its close-ok. A channel.close from the client crossed it: it gets its
   * close-ok, but the number stays taken until the client's close-ok for ours arrives (it will, the
   * spec says so), or that close-ok would land on a free channel number and kill the connection.
   * Meanwhile a channel.open on the number is the 504 RabbitMQ answers; anything else is ignored.
   */
  private void whileClosing(Frame frame) {
    if (frame instanceof Frame.ContentBody body) {
      body.payload().release();
    } else if (frame instanceof Frame.Method method) {
      if (method.method() instanceof ChannelMethod.Close) {
        send(new ChannelMethod.CloseOk());
      } else if (method.method() instanceof ChannelMethod.CloseOk) {
        connection.channelClosed(number);
      } else if (method.method() instanceof ChannelMethod.Open open) {
        connection.fail(
            number, AmqpError.of(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen", open));
      }
    }
  }

  /** The socket can take more data again. */
  void resume() {
    if (!detached) {
      brokerChannel.resumeDeliveries();
    }
  }

  // --- outbound

  void send(AmqpMethod method) {
    emit(new Frame.Method(number, method));
  }

  /** A content-carrying method (basic.get-ok), split into frames of the negotiated size. */
  void sendContent(AmqpMethod method, BasicProperties properties, byte[] body) {
    emit(new Frame.Content(number, method, properties, body, frameMax));
  }

  /**
   * Holds back every frame of this channel until {@link #releaseHeldFrames} (see basic.consume).
   */
  void holdFrames() {
    synchronized (outboundLock) {
      heldFrames = new ArrayList<>();
    }
  }

  /**
   * Sends {@code first} (if not null), then whatever was held back, and stops holding. Any thread:
   * a consume refused by another node releases them from there.
   */
  void releaseHeldFrames(AmqpMethod first) {
    synchronized (outboundLock) {
      List<Frame> held = heldFrames;
      heldFrames = null;
      if (first != null) {
        outbound.send(new Frame.Method(number, first));
      }
      if (held != null) {
        held.forEach(outbound::send);
      }
    }
  }

  /**
   * A frame the engine produced on its own threads (a delivery, a return, a confirm, a server
   * cancel): dropped once the channel is detached, checked under the same lock that detaching
   * takes, so that it can never follow the channel's close-ok.
   */
  private void emitFromEngine(Frame frame) {
    synchronized (outboundLock) {
      if (!detached) {
        emit(frame);
      }
    }
  }

  private void emit(Frame frame) {
    synchronized (outboundLock) {
      if (heldFrames != null) {
        heldFrames.add(frame);
      } else {
        outbound.send(frame);
      }
    }
  }

  // --- ChannelListener: any thread

  @Override
  public void deliver(Delivery delivery) {
    if (detached) {
      return;
    }
    BasicMethod.Deliver method =
        new BasicMethod.Deliver(
            delivery.consumerTag(),
            delivery.deliveryTag(),
            delivery.redelivered(),
            delivery.exchange(),
            delivery.routingKey());
    emitFromEngine(
        new Frame.Content(number, method, delivery.properties(), delivery.body(), frameMax));
  }

  @Override
  public void returned(ReturnedMessage message) {
    if (detached) {
      return;
    }
    BasicMethod.Return method =
        new BasicMethod.Return(
            message.replyCode(), message.replyText(), message.exchange(), message.routingKey());
    emitFromEngine(
        new Frame.Content(number, method, message.properties(), message.body(), frameMax));
  }

  @Override
  public void confirmed(long seqNo, boolean multiple, boolean ack) {
    emitFromEngine(
        new Frame.Method(
            number,
            ack
                ? new BasicMethod.Ack(seqNo, multiple)
                : new BasicMethod.Nack(seqNo, multiple, false)));
  }

  @Override
  public void consumerCancelled(String consumerTag) {
    // RabbitMQ's consumer_cancel_notify: the server's basic.cancel never expects a cancel-ok
    emitFromEngine(new Frame.Method(number, new BasicMethod.Cancel(consumerTag, true)));
  }

  /** As RabbitMQ: consume-ok went out already, so the error ends the connection (541). */
  @Override
  public void consumerFailed(String consumerTag, BrokerException error) {
    if (!detached) {
      failLater(error, null);
    }
  }

  @Override
  public boolean ready() {
    return outbound.writable();
  }
}
