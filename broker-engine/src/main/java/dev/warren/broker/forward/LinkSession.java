package dev.warren.broker.forward;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.model.Message;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.store.PayloadReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The owner's side of one link from another node: that node's clients' work on this node's classic
 * queues, carried out through the engine API as a connection of the peer ({@link
 * Broker#connectPeer}) per virtual host. Each remote consumer gets a channel of its own (its
 * prefetch, its acknowledgements); basic.get and publishes use one channel per virtual host.
 * Everything runs on the link's event loop, and the engine API does not block it.
 */
final class LinkSession extends SimpleChannelInboundHandler<ByteBuf> {
  private static final System.Logger LOG = System.getLogger(LinkSession.class.getName());

  private final Broker broker;
  private final String clusterName;
  private final Set<String> peers;
  private final Consumer<String> greeted;
  private String peer;
  private Channel link;

  private final Map<String, BrokerConnection> connections = new HashMap<>();
  private final Map<String, BrokerChannel> getters = new HashMap<>();
  private final Map<String, Publisher> publishers = new HashMap<>();
  private final Map<Long, Sub> subscriptions = new ConcurrentHashMap<>();

  /** A remote consumer's channel here, and its consumer's tag on it. */
  private record Sub(BrokerChannel channel, String tag) {}

  /**
   * @param greeted told the id of each peer whose link opens, on the link's event loop
   */
  LinkSession(Broker broker, String clusterName, Set<String> peers, Consumer<String> greeted) {
    this.broker = broker;
    this.clusterName = clusterName;
    this.peers = peers;
    this.greeted = greeted;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    PayloadReader in = LinkFrames.read(frame);
    byte op = (byte) in.readByte();
    if (peer == null && op != LinkFrames.HELLO) {
      ctx.close();
      return;
    }
    switch (op) {
      case LinkFrames.HELLO -> hello(ctx, in.readString(), in.readString());
      case LinkFrames.PUBLISH -> publish(in);
      case LinkFrames.CONSUME -> consume(in);
      case LinkFrames.SETTLE -> settle(in);
      case LinkFrames.CANCEL -> cancel(in.readLong(), in.readLong());
      case LinkFrames.RELEASE -> release(in.readLong());
      case LinkFrames.GET -> get(in);
      case LinkFrames.COUNT -> count(in);
      case LinkFrames.PURGE -> purge(in);
      case LinkFrames.DELETE -> delete(in);
      case LinkFrames.PING -> {
        // only keeps the link alive
      }
      default -> {
        LOG.log(System.Logger.Level.WARNING, "Cluster link from {0}: unknown frame {1}", peer, op);
        ctx.close();
      }
    }
  }

  /** Only members of this cluster may forward (the link listens on the cluster's network). */
  private void hello(ChannelHandlerContext ctx, String cluster, String node) {
    if (!cluster.equals(clusterName) || !peers.contains(node)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Cluster link: refused {0} of cluster {1} from {2}",
          node,
          cluster,
          ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    peer = node;
    link = ctx.channel();
    LOG.log(System.Logger.Level.INFO, "Cluster link from {0} is up", node);
    greeted.accept(node);
  }

  // --- requests

  private void publish(PayloadReader in) {
    long id = in.readLong();
    String virtualHost = in.readString();
    int count = in.readInt();
    List<String> queues = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      queues.add(in.readString());
    }
    Message message = LinkFrames.readMessage(in);
    Publisher publisher;
    try {
      publisher = publisher(virtualHost);
    } catch (BrokerException e) {
      sendConfirms(false, List.of(id));
      return;
    }
    publisher.unconfirmed.put(++publisher.sequence, id);
    publisher.channel.publishForwarded(
        queues, message.exchange(), message.routingKey(), message.properties(), message.body());
  }

  private void consume(PayloadReader in) {
    long id = in.readLong();
    String virtualHost = in.readString();
    String queue = in.readString();
    long sub = in.readLong();
    int prefetch = in.readInt();
    boolean noAck = in.readByte() != 0;
    boolean exclusive = in.readByte() != 0;
    Map<String, Object> arguments = in.readTable();
    BrokerChannel channel = null;
    try {
      channel = connection(virtualHost).openChannel(new SubscriptionListener(sub));
      channel.qos(prefetch, false);
      String tag = "forwarded-" + sub;
      subscriptions.put(sub, new Sub(channel, tag));
      channel.consume(queue, tag, noAck, exclusive, arguments == null ? Map.of() : arguments);
      done(id, 0, 0);
    } catch (RuntimeException e) {
      if (channel != null) {
        subscriptions.remove(sub);
        channel.close();
      }
      failed(id, refusal(e));
    }
  }

  private void settle(PayloadReader in) {
    String virtualHost = in.readString();
    long sub = in.readLong();
    long tag = in.readLong();
    byte settlement = (byte) in.readByte();
    Sub subscription = sub == 0 ? null : subscriptions.get(sub);
    BrokerChannel channel =
        sub == 0 ? getters.get(virtualHost) : subscription == null ? null : subscription.channel();
    if (channel == null) {
      return; // its channel closed, and what it held went back with it
    }
    try {
      switch (settlement) {
        case LinkFrames.ACK -> channel.ack(tag, false);
        case LinkFrames.REQUEUE -> channel.reject(tag, true);
        case LinkFrames.PUT_BACK -> channel.release(tag);
        default -> channel.reject(tag, false);
      }
    } catch (BrokerException e) {
      LOG.log(System.Logger.Level.DEBUG, "Cluster link from {0}: {1}", peer, e.getMessage());
    }
  }

  /**
   * basic.cancel: answered after the deliveries made before it (the engine hands them over before
   * cancel returns). What the consumer holds may still be settled, so its channel stays.
   */
  private void cancel(long id, long sub) {
    Sub subscription = subscriptions.get(sub);
    if (subscription != null) {
      subscription.channel().cancel(subscription.tag());
    }
    done(id, 0, 0);
  }

  /** The remote consumer is done with: its channel closes, and what it held goes back. */
  private void release(long sub) {
    Sub subscription = subscriptions.remove(sub);
    if (subscription != null) {
      subscription.channel().close();
    }
  }

  private void get(PayloadReader in) {
    long id = in.readLong();
    String virtualHost = in.readString();
    String queue = in.readString();
    boolean noAck = in.readByte() != 0;
    BrokerChannel getter;
    try {
      getter = getter(virtualHost);
    } catch (BrokerException e) {
      failed(id, e);
      return;
    }
    answer(
        id,
        getter.getAsync(queue, noAck),
        result -> {
          if (result.isEmpty()) {
            done(id, -1, 0);
            return;
          }
          GetResult got = result.get();
          LinkFrames.send(
              link,
              w -> {
                w.writeByte(LinkFrames.GOT)
                    .writeLong(id)
                    .writeLong(got.deliveryTag())
                    .writeByte(got.redelivered() ? 1 : 0)
                    .writeInt(got.messageCount());
                LinkFrames.writeMessage(
                    w, new Message(got.exchange(), got.routingKey(), got.properties(), got.body()));
              });
        });
  }

  private void count(PayloadReader in) {
    long id = in.readLong();
    String virtualHost = in.readString();
    String queue = in.readString();
    try {
      answer(
          id,
          getter(virtualHost).checkQueueAsync(queue),
          info -> done(id, info.messageCount(), info.consumerCount()));
    } catch (BrokerException e) {
      failed(id, e);
    }
  }

  private void purge(PayloadReader in) {
    long id = in.readLong();
    String virtualHost = in.readString();
    String queue = in.readString();
    try {
      answer(id, getter(virtualHost).purgeQueueAsync(queue), purged -> done(id, purged, 0));
    } catch (BrokerException e) {
      failed(id, e);
    }
  }

  /** queue.delete asked on another node: checked and logged here, answered once applied here. */
  private void delete(PayloadReader in) {
    long id = in.readLong();
    String virtualHost = in.readString();
    String queue = in.readString();
    boolean ifUnused = in.readByte() != 0;
    boolean ifEmpty = in.readByte() != 0;
    try {
      answer(
          id,
          getter(virtualHost).deleteQueueAsync(queue, ifUnused, ifEmpty),
          deleted -> done(id, deleted, 0));
    } catch (BrokerException e) {
      failed(id, e);
    }
  }

  private <T> void answer(long id, CompletionStage<T> stage, java.util.function.Consumer<T> ok) {
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            ok.accept(value);
            return;
          }
          failed(
              id, refusal(failure instanceof CompletionException ? failure.getCause() : failure));
        });
  }

  private static BrokerException refusal(Throwable cause) {
    return cause instanceof BrokerException refused
        ? refused
        : new BrokerException(ReplyCode.INTERNAL_ERROR, String.valueOf(cause));
  }

  private void done(long id, long first, long second) {
    LinkFrames.send(
        link, w -> w.writeByte(LinkFrames.DONE).writeLong(id).writeLong(first).writeLong(second));
  }

  private void failed(long id, BrokerException e) {
    LinkFrames.send(
        link,
        w ->
            w.writeByte(LinkFrames.FAILED)
                .writeLong(id)
                .writeInt(e.replyCode().code())
                .writeString(e.getMessage()));
  }

  private void sendConfirms(boolean ack, List<Long> ids) {
    LinkFrames.send(
        link,
        w -> {
          w.writeByte(LinkFrames.CONFIRMED).writeByte(ack ? 1 : 0).writeInt(ids.size());
          ids.forEach(w::writeLong);
        });
  }

  // --- the peer's connections and channels, made on first use

  private BrokerConnection connection(String virtualHost) {
    BrokerConnection connection = connections.get(virtualHost);
    if (connection == null) {
      connection = broker.connectPeer(virtualHost, peer);
      connections.put(virtualHost, connection);
    }
    return connection;
  }

  private BrokerChannel getter(String virtualHost) {
    BrokerChannel getter = getters.get(virtualHost);
    if (getter == null) {
      getter = connection(virtualHost).openChannel(new SubscriptionListener(0));
      getters.put(virtualHost, getter);
    }
    return getter;
  }

  /** A virtual host's publishing channel, in confirm mode: its sequence numbers map to ids. */
  private final class Publisher implements ChannelListener {
    final ConcurrentSkipListMap<Long, Long> unconfirmed = new ConcurrentSkipListMap<>();
    BrokerChannel channel;
    long sequence;

    @Override
    public void confirmed(long seqNo, boolean multiple, boolean ack) {
      List<Long> ids = new ArrayList<>();
      if (multiple) {
        Map<Long, Long> upTo = unconfirmed.headMap(seqNo, true);
        ids.addAll(upTo.values());
        upTo.clear();
      } else {
        Long id = unconfirmed.remove(seqNo);
        if (id != null) {
          ids.add(id);
        }
      }
      if (!ids.isEmpty()) {
        sendConfirms(ack, ids);
      }
    }

    @Override
    public void deliver(Delivery delivery) {}

    @Override
    public void returned(ReturnedMessage message) {}

    @Override
    public void consumerCancelled(String consumerTag) {}
  }

  private Publisher publisher(String virtualHost) {
    Publisher publisher = publishers.get(virtualHost);
    if (publisher == null) {
      publisher = new Publisher();
      publisher.channel = connection(virtualHost).openChannel(publisher);
      publisher.channel.selectConfirms();
      publishers.put(virtualHost, publisher);
    }
    return publisher;
  }

  /** Deliveries to one remote consumer go back over the link, tagged with its number. */
  private final class SubscriptionListener implements ChannelListener {
    private final long sub;

    SubscriptionListener(long sub) {
      this.sub = sub;
    }

    @Override
    public void deliver(Delivery d) {
      LinkFrames.send(
          link,
          w -> {
            w.writeByte(LinkFrames.DELIVER)
                .writeLong(sub)
                .writeLong(d.deliveryTag())
                .writeByte(d.redelivered() ? 1 : 0);
            LinkFrames.writeMessage(
                w, new Message(d.exchange(), d.routingKey(), d.properties(), d.body()));
          });
    }

    @Override
    public void returned(ReturnedMessage message) {}

    @Override
    public void confirmed(long seqNo, boolean multiple, boolean ack) {}

    /** The queue was deleted: the channel stays until the forwarding node releases it. */
    @Override
    public void consumerCancelled(String consumerTag) {
      if (subscriptions.containsKey(sub)) {
        LinkFrames.send(link, w -> w.writeByte(LinkFrames.CANCELLED).writeLong(sub));
      }
    }

    /** Back-pressure: the link takes no more while Netty's buffer is above its high mark. */
    @Override
    public boolean ready() {
      return link.isWritable();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      subscriptions.values().forEach(s -> s.channel().resumeDeliveries());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE) {
        ctx.close();
      } else if (link != null) {
        LinkFrames.send(link, w -> w.writeByte(LinkFrames.PING));
      }
    }
  }

  /** The peer is gone: its channels close, and what its consumers held goes back to the queues. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer != null) {
      LOG.log(System.Logger.Level.INFO, "Cluster link from {0} is down", peer);
    }
    connections.values().forEach(BrokerConnection::close);
    connections.clear();
    subscriptions.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(
        System.Logger.Level.WARNING, "Cluster link from {0} failed: {1}", peer, cause.toString());
    ctx.close();
  }
}
