package dev.warren.broker.forward;

import dev.warren.broker.model.HomeNode;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.store.PayloadReader;
import dev.warren.broker.store.PayloadWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * This node's link to one other node of the cluster, over which its clients' work on that node's
 * classic queues goes. Connected in the background and again whenever it drops; while it is down
 * every request fails at once (the caller answers with RabbitMQ's "home node ... is down or
 * inaccessible"), and a request unanswered for {@link #REQUEST_TIMEOUT_SECONDS} fails too. Nothing
 * here blocks: requests return stages, deliveries arrive on the link's event loop.
 */
final class NodeLink implements HomeNode {
  private static final System.Logger LOG = System.getLogger(NodeLink.class.getName());

  static final int REQUEST_TIMEOUT_SECONDS = 10;
  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  /** Forwarded publishes awaiting the owner's confirm; beyond this many a publish is refused. */
  static final int MAX_UNCONFIRMED = 20_000;

  /** What a consumer on this node hears from its subscription on the owner. */
  interface Subscription {
    void delivered(long tag, boolean redelivered, Message message);

    /** The owner cancelled it (its queue was deleted) or the link dropped. */
    void cancelled();
  }

  /** An answer to a request: two counts, or a message taken with basic.get. */
  record Reply(long first, long second, Got got) {}

  /** A message basic.get took on the owner, with the tag to settle it by. */
  record Got(long tag, boolean redelivered, int remaining, Message message) {}

  private final String node;
  private final String host;
  private final int port;
  private final String self;
  private final String clusterName;
  private final EventLoopGroup loops;
  private final Consumer<String> returned;

  private final InFlight inFlight;
  private volatile Channel channel;

  /** Set while a connection is being made; the event loops and a peer's greeting may race. */
  private final AtomicBoolean connecting = new AtomicBoolean();

  private volatile boolean closed;

  /**
   * Set when the node fell out of reach in a way that leaves connections to it stuck: its link fell
   * silent, or connecting to it timed out (a partition, a machine gone). The next link up is then
   * the node's return, and the Raft connections to it are renewed (see {@code RaftNode.reconnect}).
   * A refused connection clears it: the node's process stopped, its connections died with it, and
   * Ratis reconnects to the next process by itself. Renewing connections to a restarted node (or to
   * one whose link port opened a moment after this node first tried it, at a cluster's start)
   * cancelled appends in flight as it started: a first declare waited 6.5 s (over the 10 s append
   * timeout in CI); and in one CI run a restarted node did not apply its own first entry for
   * minutes (FaultCyclesIT; not reproduced, most likely the same).
   */
  private volatile boolean outOfReach;

  /** Whether the last attempt to connect was refused: nothing listens, the node is stopped. */
  private volatile boolean refused;

  /**
   * @param returned told the node's id each time the link is up again after it dropped or could not
   *     connect in a way that leaves connections stuck (see {@link #outOfReach}), on the link's
   *     event loop
   */
  NodeLink(
      String node,
      String host,
      int port,
      String self,
      String clusterName,
      EventLoopGroup loops,
      Consumer<String> returned) {
    this.node = node;
    this.host = host;
    this.port = port;
    this.self = self;
    this.clusterName = clusterName;
    this.loops = loops;
    this.returned = returned;
    this.inFlight = new InFlight(node);
  }

  String node() {
    return node;
  }

  /**
   * Whether the node is known to be stopped: the link is down and connecting to it was refused (its
   * address answers, its port has no listener), as when its process was killed on a running host.
   */
  boolean refused() {
    return refused && !up();
  }

  /** Whether the link is up now: an operation may be forwarded. */
  boolean up() {
    Channel current = channel;
    return current != null && current.isActive();
  }

  /** Connects unless connected or connecting; the outcome is logged, never waited for. */
  void connect() {
    if (closed || up() || !connecting.compareAndSet(false, true)) {
      return;
    }
    ChannelFuture future =
        new Bootstrap()
            .group(loops)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    LinkFrames.install(ch.pipeline(), new Handler());
                  }
                })
            .connect(host, port);
    future.addListener(
        done -> {
          if (done.isSuccess()) {
            Channel opened = future.channel();
            LinkFrames.send(
                opened,
                w -> w.writeByte(LinkFrames.HELLO).writeString(clusterName).writeString(self));
            channel = opened;
            LOG.log(
                System.Logger.Level.INFO,
                "Cluster link to {0} ({1}:{2}) is up",
                node,
                host,
                String.valueOf(port));
            if (closed) {
              opened.close();
            } else if (outOfReach) {
              outOfReach = false;
              returned.accept(node);
            }
            refused = false;
          } else {
            // a timeout (a partition, a machine gone) is not a refusal
            refused =
                done.cause() instanceof ConnectException
                    && !(done.cause() instanceof ConnectTimeoutException);
            outOfReach = !refused;
          }
          // last: the link is current before another connect may start
          connecting.set(false);
        });
  }

  void close() {
    closed = true;
    Channel current = channel;
    if (current != null) {
      current.close();
    }
  }

  // --- requests

  @Override
  public void publish(
      String virtualHost, List<String> queues, Message message, Persistence.Synced confirmation) {
    Channel current = channel;
    if (current == null || !current.isActive() || inFlight.unconfirmed() >= MAX_UNCONFIRMED) {
      confirmation.failed();
      return;
    }
    long id = inFlight.publish(confirmation);
    LinkFrames.send(
        current,
        w -> {
          w.writeByte(LinkFrames.PUBLISH).writeLong(id).writeString(virtualHost);
          w.writeInt(queues.size());
          queues.forEach(w::writeString);
          LinkFrames.writeMessage(w, message);
        });
    if (!current.isActive() && inFlight.withdraw(id)) {
      confirmation.failed(); // dropped between the check and the write
    }
  }

  CompletableFuture<Reply> consume(
      String virtualHost,
      String queue,
      long sub,
      Subscription subscription,
      int prefetch,
      boolean noAck,
      boolean exclusive,
      Map<String, Object> arguments) {
    inFlight.subscribe(sub, subscription);
    CompletableFuture<Reply> reply =
        request(
            (id, w) ->
                w.writeByte(LinkFrames.CONSUME)
                    .writeLong(id)
                    .writeString(virtualHost)
                    .writeString(queue)
                    .writeLong(sub)
                    .writeInt(prefetch)
                    .writeByte(noAck ? 1 : 0)
                    .writeByte(exclusive ? 1 : 0)
                    .writeTable(arguments));
    reply.whenComplete(
        (done, failure) -> {
          if (failure != null) {
            inFlight.unsubscribe(sub);
          }
        });
    return reply;
  }

  /** Settles what {@code sub} (0: basic.get on {@code virtualHost}) was given under {@code tag}. */
  void settle(String virtualHost, long sub, long tag, byte settlement) {
    sendIfUp(
        w ->
            w.writeByte(LinkFrames.SETTLE)
                .writeString(virtualHost)
                .writeLong(sub)
                .writeLong(tag)
                .writeByte(settlement));
  }

  /**
   * Cancels the consumer; answered once the owner did, after the deliveries it made before. Its
   * channel on the owner stays (until {@link #release}) while it holds unsettled messages.
   */
  CompletableFuture<Reply> cancel(long sub) {
    return request((id, w) -> w.writeByte(LinkFrames.CANCEL).writeLong(id).writeLong(sub));
  }

  /** Closes the subscription's channel on the owner (what it still holds goes back). */
  void release(long sub) {
    inFlight.unsubscribe(sub);
    sendIfUp(w -> w.writeByte(LinkFrames.RELEASE).writeLong(sub));
  }

  CompletableFuture<Reply> get(String virtualHost, String queue, boolean noAck) {
    return request(
        (id, w) ->
            w.writeByte(LinkFrames.GET)
                .writeLong(id)
                .writeString(virtualHost)
                .writeString(queue)
                .writeByte(noAck ? 1 : 0));
  }

  CompletableFuture<Reply> count(String virtualHost, String queue) {
    return request(
        (id, w) ->
            w.writeByte(LinkFrames.COUNT)
                .writeLong(id)
                .writeString(virtualHost)
                .writeString(queue));
  }

  CompletableFuture<Reply> purge(String virtualHost, String queue) {
    return request(
        (id, w) ->
            w.writeByte(LinkFrames.PURGE)
                .writeLong(id)
                .writeString(virtualHost)
                .writeString(queue));
  }

  CompletableFuture<Reply> delete(
      String virtualHost, String queue, boolean ifUnused, boolean ifEmpty) {
    return request(
        (id, w) ->
            w.writeByte(LinkFrames.DELETE)
                .writeLong(id)
                .writeString(virtualHost)
                .writeString(queue)
                .writeByte(ifUnused ? 1 : 0)
                .writeByte(ifEmpty ? 1 : 0));
  }

  private interface Fields {
    void write(long id, PayloadWriter writer);
  }

  private CompletableFuture<Reply> request(Fields fields) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    Channel current = channel;
    if (current == null || !current.isActive()) {
      reply.completeExceptionally(new LinkDown(node));
      return reply;
    }
    long id = inFlight.request(reply);
    LinkFrames.send(current, w -> fields.write(id, w));
    current
        .eventLoop()
        .schedule(() -> inFlight.fail(id), REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!current.isActive()) {
      failAll(current);
    }
    return reply;
  }

  private void sendIfUp(Consumer<PayloadWriter> fields) {
    Channel current = channel;
    if (current != null && current.isActive()) {
      LinkFrames.send(current, fields);
    }
  }

  /** The owner could not be reached (down, cut off, or too slow to answer). */
  static final class LinkDown extends RuntimeException {
    LinkDown(String node) {
      super("cluster link to " + node + " is down", null, false, false);
    }
  }

  /** Fails everything in flight on a link that dropped (a channel no longer current). */
  private void failAll(Channel dropped) {
    if (channel == dropped) {
      channel = null;
    }
    inFlight.failAll();
  }

  private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      PayloadReader in = LinkFrames.read(frame);
      byte op = (byte) in.readByte();
      // PING only keeps the link alive
      if (op != LinkFrames.PING && !inFlight.read(op, in)) {
        LOG.log(System.Logger.Level.WARNING, "Cluster link to {0}: unknown frame {1}", node, op);
        ctx.close();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.READER_IDLE) {
          LOG.log(System.Logger.Level.WARNING, "Cluster link to {0}: silent, closing it", node);
          outOfReach = true;
          ctx.close();
        } else {
          LinkFrames.send(ctx.channel(), w -> w.writeByte(LinkFrames.PING));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      LOG.log(System.Logger.Level.INFO, "Cluster link to {0} is down", node);
      failAll(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.log(
          System.Logger.Level.WARNING, "Cluster link to {0} failed: {1}", node, cause.toString());
      ctx.close();
    }
  }
}
