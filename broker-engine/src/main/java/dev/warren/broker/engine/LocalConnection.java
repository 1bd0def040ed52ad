package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.ClientConnection;
import dev.warren.broker.metrics.ChurnEvent;
import dev.warren.broker.metrics.ConnectionCounters;
import dev.warren.broker.metrics.VirtualHostCounters;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueOwner;
import dev.warren.broker.model.VirtualHost;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A connection to one virtual host; its {@link QueueOwner} owns its exclusive queues. */
final class LocalConnection implements BrokerConnection {
  /** Connection numbers; started from the clock so that a restarted node never reuses one. */
  private static final AtomicLong NUMBERS = new AtomicLong(System.currentTimeMillis() << 16);

  private final LocalBroker broker;
  private final QueueOwner owner;
  private final VirtualHost virtualHost;
  private final String user;
  private final ClientConnection client;
  private final Set<LocalChannel> channels = ConcurrentHashMap.newKeySet();
  private final Set<Queue> exclusiveQueues = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger lastChannelNumber = new AtomicInteger();
  private final ConnectionCounters counters;
  private final VirtualHostCounters hostCounters;
  private final boolean peer;

  /**
   * @param peer whether another cluster node opened it to forward its clients' work (no permission
   *     checks: that node made them)
   */
  LocalConnection(
      LocalBroker broker,
      VirtualHost virtualHost,
      String user,
      ClientConnection client,
      boolean peer) {
    this.broker = broker;
    this.peer = peer;
    this.owner = new QueueOwner(broker.topology().node(), NUMBERS.incrementAndGet());
    this.virtualHost = virtualHost;
    this.user = user;
    this.client = client;
    this.counters = new ConnectionCounters(client.traffic());
    this.hostCounters = broker.statisticsOf(virtualHost.name());
    hostCounters.opened(counters);
  }

  @Override
  public String virtualHost() {
    return virtualHost.name();
  }

  @Override
  public String user() {
    return user;
  }

  ClientConnection client() {
    return client;
  }

  List<LocalChannel> channels() {
    return List.copyOf(channels);
  }

  @Override
  public BrokerChannel openChannel(ChannelListener listener) {
    return openChannel(lastChannelNumber.incrementAndGet(), listener);
  }

  @Override
  public BrokerChannel openChannel(int number, ChannelListener listener) {
    if (closed.get()) {
      throw new IllegalStateException("connection " + client.details().name() + " is closed");
    }
    LocalChannel channel =
        new LocalChannel(this, number, virtualHost, new ListenerMailbox(listener));
    channels.add(channel);
    hostCounters.opened(channel.counters());
    broker.record(ChurnEvent.CHANNEL_OPENED);
    return peer
        ? channel
        : new AuthorizedChannel(channel, broker.accessControl(), user, virtualHost.name());
  }

  /** Whether another cluster node opened this connection to forward its clients' work. */
  boolean peer() {
    return peer;
  }

  ConnectionCounters counters() {
    return counters;
  }

  /** Counts a queue.declare made on this connection (RabbitMQ's queue churn). */
  void record(ChurnEvent event) {
    broker.record(event);
  }

  QueueOwner owner() {
    return owner;
  }

  TopologyChanges topology() {
    return broker.topology();
  }

  void ownExclusive(Queue queue) {
    exclusiveQueues.add(queue);
  }

  void forget(LocalChannel channel) {
    if (channels.remove(channel)) {
      hostCounters.closed(channel.counters());
      broker.record(ChurnEvent.CHANNEL_CLOSED);
    }
  }

  void dispatchLater(Queue queue) {
    broker.dispatchLater(queue);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (LocalChannel channel : List.copyOf(channels)) {
      channel.close();
    }
    for (Queue queue : exclusiveQueues) {
      virtualHost.deleteQueue(queue);
    }
    exclusiveQueues.clear();
    hostCounters.closed(counters);
    broker.forget(this);
  }

  @Override
  public String toString() {
    return "connection " + client.details().name() + " (" + user + "@" + virtualHost.name() + ")";
  }
}
