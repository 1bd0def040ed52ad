package dev.warren.broker.forward;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.concurrent.DaemonThreads;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.model.ForwardedQueues;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.VirtualHost;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every queue from every node: a cluster node's classic queues live where they were declared, and
 * the other nodes reach them over a link of their own (a small framed protocol on {@code
 * --cluster-links}, beside the Raft port, rather than an AMQP connection: the link needs neither a
 * login nor a routing step, the owner serves it through the engine API, and the port stays on the
 * cluster's network). This node listens for its peers' links and keeps one link to each peer,
 * connecting again every second while one is down.
 */
public final class Forwarding implements ForwardedQueues, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Forwarding.class.getName());

  private static final int RECONNECT_SECONDS = 1;

  private final ClusterConfig config;
  private final Broker broker;
  private final EventLoopGroup loops =
      new NioEventLoopGroup(2, DaemonThreads.named("warren-cluster-links"));
  private final Map<String, NodeLink> links = new LinkedHashMap<>();
  private Channel listener;

  /**
   * @param peerReturned told a peer's id when its link is up again after it fell silent or
   *     connecting to it timed out (a partition): the Raft connections to it may be stuck
   */
  public Forwarding(ClusterConfig config, Broker broker, Consumer<String> peerReturned) {
    this.config = config;
    this.broker = broker;
    for (ClusterConfig.Peer peer : config.links().values()) {
      if (!peer.id().equals(config.nodeId())) {
        links.put(
            peer.id(),
            new NodeLink(
                peer.id(),
                peer.host(),
                peer.port(),
                config.nodeId(),
                config.name(),
                loops,
                peerReturned));
      }
    }
  }

  /**
   * Whether node {@code id} is known to be stopped: its link is down and its port refuses
   * connections (see {@link NodeLink#refused}).
   */
  public boolean stopped(String id) {
    NodeLink link = links.get(id);
    return link != null && link.refused();
  }

  /**
   * Listens for the peers' links on this node's own link address (the port of its entry, on {@code
   * bindAddress}), then starts connecting to the peers. Called once the node's queues are
   * recovered, so that what is forwarded finds them.
   */
  public void start(String bindAddress) {
    int port = config.links().get(config.nodeId()).port();
    ChannelFuture bound =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    LinkFrames.install(
                        channel.pipeline(),
                        new LinkSession(
                            broker,
                            config.name(),
                            config.peers().keySet(),
                            Forwarding.this::greeted));
                  }
                })
            .bind(bindAddress, port)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IllegalStateException(
          "cannot listen for cluster links on %s:%d".formatted(bindAddress, port), bound.cause());
    }
    listener = bound.channel();
    LOG.log(
        System.Logger.Level.INFO,
        "Cluster links: listening on {0}:{1}",
        bindAddress,
        String.valueOf(port));
    loops.scheduleWithFixedDelay(
        () -> links.values().forEach(NodeLink::connect), 0, RECONNECT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * A peer's link to this node opened, so its own listener is up: the link to it is connected now
   * rather than at the next round. A node that starts after this one would otherwise be reached up
   * to {@link #RECONNECT_SECONDS} after its clients could already publish to this node's queues,
   * and what it forwarded meanwhile was nacked (ForwardingIT's first publishes, once).
   */
  private void greeted(String node) {
    NodeLink link = links.get(node);
    if (link != null) {
      link.connect();
    }
  }

  @Override
  public Queue create(
      VirtualHost host,
      String name,
      boolean durable,
      boolean autoDelete,
      Object owner,
      Map<String, Object> arguments,
      String home) {
    NodeLink link = links.get(home);
    if (link == null) {
      // a node no longer in the list: its queue can only be reported down
      link = new NodeLink(home, "", 0, config.nodeId(), config.name(), loops, node -> {});
    }
    return new RemoteQueue(name, host.name(), durable, autoDelete, owner, arguments, home, link);
  }

  @Override
  public void close() {
    links.values().forEach(NodeLink::close);
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
