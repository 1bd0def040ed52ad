package dev.warren.broker.engine;

import dev.warren.broker.concurrent.DaemonThreads;
import dev.warren.broker.engine.api.BrokerStatistics;
import dev.warren.broker.engine.api.ChannelStatistics;
import dev.warren.broker.engine.api.ChurnStatistics;
import dev.warren.broker.engine.api.ConnectionStatistics;
import dev.warren.broker.engine.api.ExchangeStatistics;
import dev.warren.broker.engine.api.MessageCounter;
import dev.warren.broker.engine.api.MessageSizeHistogram;
import dev.warren.broker.engine.api.MessageStats;
import dev.warren.broker.engine.api.MessageTotals;
import dev.warren.broker.engine.api.NodeResources;
import dev.warren.broker.engine.api.NodeStatistics;
import dev.warren.broker.engine.api.ObjectTotals;
import dev.warren.broker.engine.api.OverviewStatistics;
import dev.warren.broker.engine.api.QueueStatistics;
import dev.warren.broker.engine.api.Rated;
import dev.warren.broker.engine.api.VirtualHostStatistics;
import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.metrics.ChurnCounters;
import dev.warren.broker.metrics.ChurnEvent;
import dev.warren.broker.metrics.ConnectionCounters;
import dev.warren.broker.metrics.MessageSizes;
import dev.warren.broker.metrics.QueueCounters;
import dev.warren.broker.metrics.RateWindow;
import dev.warren.broker.metrics.VirtualHostCounters;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.VirtualHost;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The broker's statistics: reads the counters that channels, queues, exchanges and connections keep
 * (see the {@code metrics} package), and samples them on a timer of its own to give rates, as
 * RabbitMQ samples every {@code collect_statistics_interval}. Sampling reads what every query
 * reads; nothing on the message path waits for it.
 */
final class LocalStatistics implements BrokerStatistics, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LocalStatistics.class.getName());

  // A host's values (a virtual host's, or the node's as their sum): the channels' counters and
  // size histogram, then these.
  private static final int MESSAGES = ChannelCounters.TOTALS;
  private static final int READY = MESSAGES + 1;
  private static final int UNACKED = MESSAGES + 2;
  private static final int OCTETS_RECEIVED = MESSAGES + 3;
  private static final int OCTETS_SENT = MESSAGES + 4;
  private static final int PACKETS_RECEIVED = MESSAGES + 5;
  private static final int PACKETS_SENT = MESSAGES + 6;
  private static final int CHURN = MESSAGES + 7;
  private static final int HOST_VALUES = CHURN + ChurnEvent.values().length;

  // A queue's values: its counters by ordinal, then its message levels.
  private static final int QUEUE_MESSAGES = MessageCounter.values().length;
  private static final int QUEUE_VALUES = QUEUE_MESSAGES + 3;

  private static final List<MessageCounter> ALL_COUNTERS = List.of(MessageCounter.values());

  private final LocalBroker broker;
  private final Duration interval;
  private final ChurnCounters churn;
  private final Map<String, VirtualHostCounters> hosts = new ConcurrentHashMap<>();
  private final RateWindow nodeRates = new RateWindow();
  private final long startedNanos = System.nanoTime();
  private volatile Supplier<NodeResources> resources = () -> NodeResources.UNKNOWN;
  private final ScheduledExecutorService sampler = DaemonThreads.scheduler("warren-statistics");

  LocalStatistics(LocalBroker broker, ChurnCounters churn, Duration interval) {
    this.broker = broker;
    this.churn = churn;
    this.interval = interval;
  }

  /** Starts sampling, once the broker it reads is complete. */
  void start() {
    long millis = interval.toMillis();
    sampler.scheduleAtFixedRate(this::sampleSafely, 0, millis, TimeUnit.MILLISECONDS);
  }

  /** The counters of a virtual host's channels and connections; kept for as long as the broker. */
  VirtualHostCounters host(String virtualHost) {
    return hosts.computeIfAbsent(virtualHost, name -> new VirtualHostCounters());
  }

  /** Where memory and disk are read: the resource monitor's view, once there is one. */
  void watch(Supplier<NodeResources> value) {
    resources = value;
  }

  @Override
  public Duration samplingInterval() {
    return interval;
  }

  // --- sampling

  private void sampleSafely() {
    try {
      sample(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Sampling the statistics failed", e);
    }
  }

  private void sample(long now) {
    long[] node = nodeValues();
    nodeRates.sample(node, now);
    for (VirtualHost host : broker.virtualHosts()) {
      host(host.name()).rates().sample(hostValues(host), now);
      for (Queue queue : host.queues()) {
        queue.counters().rates().sample(queueValues(queue), now);
      }
      for (Exchange exchange : host.exchanges()) {
        exchange.counters().rates().sample(exchangeValues(exchange), now);
      }
    }
    for (LocalConnection connection : broker.connections()) {
      ConnectionCounters traffic = connection.counters();
      traffic.rates().sample(traffic.values(), now);
      for (LocalChannel channel : connection.channels()) {
        channel.counters().rates().sample(channelValues(channel.counters()), now);
      }
    }
  }

  // --- values: what is sampled and what queries read, laid out alike

  /**
   * The node's values: counters over every virtual host there has been (a deleted one's counts
   * stay, so that no total goes backwards), message levels over the queues there are.
   */
  private long[] nodeValues() {
    long[] total = new long[HOST_VALUES];
    for (VirtualHostCounters counters : hosts.values()) {
      addCounters(counters, total);
    }
    for (VirtualHost host : broker.virtualHosts()) {
      addLevels(host, total);
    }
    long[] churned = churn.counts();
    System.arraycopy(churned, 0, total, CHURN, churned.length);
    return total;
  }

  private long[] hostValues(VirtualHost host) {
    long[] values = new long[HOST_VALUES];
    addCounters(host(host.name()), values);
    addLevels(host, values);
    return values;
  }

  private static void addCounters(VirtualHostCounters counters, long[] values) {
    long[] channels = counters.channelTotals();
    for (int i = 0; i < channels.length; i++) {
      values[i] += channels[i];
    }
    long[] traffic = counters.connectionTotals();
    values[OCTETS_RECEIVED] += traffic[ConnectionCounters.OCTETS_RECEIVED];
    values[OCTETS_SENT] += traffic[ConnectionCounters.OCTETS_SENT];
    values[PACKETS_RECEIVED] += traffic[ConnectionCounters.PACKETS_RECEIVED];
    values[PACKETS_SENT] += traffic[ConnectionCounters.PACKETS_SENT];
  }

  private static void addLevels(VirtualHost host, long[] values) {
    for (Queue queue : host.queues()) {
      long ready = queue.messageCount();
      long unacked = queue.counters().unacknowledged();
      values[READY] += ready;
      values[UNACKED] += unacked;
      values[MESSAGES] += ready + unacked;
    }
  }

  private static long[] queueValues(Queue queue) {
    QueueCounters counters = queue.counters();
    long[] values = new long[QUEUE_VALUES];
    for (MessageCounter counter : QueueCounters.KEPT) {
      values[counter.ordinal()] = counters.count(counter);
    }
    long ready = queue.messageCount();
    long unacked = counters.unacknowledged();
    values[QUEUE_MESSAGES] = ready + unacked;
    values[QUEUE_MESSAGES + 1] = ready;
    values[QUEUE_MESSAGES + 2] = unacked;
    return values;
  }

  private static long[] exchangeValues(Exchange exchange) {
    return new long[] {exchange.counters().publishedIn(), exchange.counters().routedOut()};
  }

  private static long[] channelValues(ChannelCounters counters) {
    long[] values = new long[ChannelCounters.TOTALS];
    counters.addTo(values);
    return values;
  }

  // --- snapshots

  private static Rated rated(long[] values, RateWindow rates, int index) {
    return new Rated(values[index], rates.rate(index));
  }

  private static MessageStats messageStats(
      long[] values, RateWindow rates, List<MessageCounter> kept) {
    Map<MessageCounter, Rated> counters = new EnumMap<>(MessageCounter.class);
    for (MessageCounter counter : kept) {
      counters.put(counter, rated(values, rates, counter.ordinal()));
    }
    return new MessageStats(counters);
  }

  private static MessageTotals totals(long[] values, RateWindow rates, int messagesIndex) {
    return new MessageTotals(
        rated(values, rates, messagesIndex),
        rated(values, rates, messagesIndex + 1),
        rated(values, rates, messagesIndex + 2));
  }

  @Override
  public OverviewStatistics overview() {
    long[] values = nodeValues();
    return new OverviewStatistics(
        messageStats(values, nodeRates, ALL_COUNTERS),
        totals(values, nodeRates, MESSAGES),
        objectTotals(),
        churn(values));
  }

  private ChurnStatistics churn(long[] values) {
    return new ChurnStatistics(
        churned(values, ChurnEvent.CONNECTION_OPENED),
        churned(values, ChurnEvent.CONNECTION_CLOSED),
        churned(values, ChurnEvent.CHANNEL_OPENED),
        churned(values, ChurnEvent.CHANNEL_CLOSED),
        churned(values, ChurnEvent.QUEUE_DECLARED),
        churned(values, ChurnEvent.QUEUE_CREATED),
        churned(values, ChurnEvent.QUEUE_DELETED));
  }

  private Rated churned(long[] values, ChurnEvent event) {
    return rated(values, nodeRates, CHURN + event.ordinal());
  }

  private ObjectTotals objectTotals() {
    int connections = 0;
    int channels = 0;
    int consumers = 0;
    int publishers = 0;
    for (LocalConnection connection : broker.connections()) {
      connections++;
      for (LocalChannel channel : connection.channels()) {
        channels++;
        consumers += channel.consumers().size();
        publishers += channel.counters().publisher() ? 1 : 0;
      }
    }
    int exchanges = 0;
    int queues = 0;
    for (VirtualHost host : broker.virtualHosts()) {
      exchanges += host.exchanges().size();
      queues += host.queues().size();
    }
    return new ObjectTotals(connections, channels, exchanges, queues, consumers, publishers);
  }

  @Override
  public List<VirtualHostStatistics> virtualHosts() {
    List<VirtualHostStatistics> list = new ArrayList<>();
    for (VirtualHost host : broker.virtualHosts()) {
      list.add(of(host));
    }
    return list;
  }

  @Override
  public Optional<VirtualHostStatistics> virtualHost(String name) {
    VirtualHost host = broker.virtualHost(name);
    return host == null ? Optional.empty() : Optional.of(of(host));
  }

  private VirtualHostStatistics of(VirtualHost host) {
    long[] values = hostValues(host);
    RateWindow rates = host(host.name()).rates();
    return new VirtualHostStatistics(
        host.name(),
        messageStats(values, rates, ALL_COUNTERS),
        totals(values, rates, MESSAGES),
        rated(values, rates, OCTETS_RECEIVED),
        rated(values, rates, OCTETS_SENT),
        values[PACKETS_RECEIVED],
        values[PACKETS_SENT]);
  }

  @Override
  public List<QueueStatistics> queues() {
    List<QueueStatistics> list = new ArrayList<>();
    for (VirtualHost host : broker.virtualHosts()) {
      for (Queue queue : host.queues()) {
        list.add(of(host, queue));
      }
    }
    return list;
  }

  @Override
  public Optional<QueueStatistics> queue(String virtualHost, String name) {
    VirtualHost host = broker.virtualHost(virtualHost);
    Queue queue = host == null ? null : host.queue(name);
    return queue == null ? Optional.empty() : Optional.of(of(host, queue));
  }

  /** One queue's statistics; also what the management snapshot of the queue carries. */
  static QueueStatistics of(VirtualHost host, Queue queue) {
    long[] values = queueValues(queue);
    RateWindow rates = queue.counters().rates();
    return new QueueStatistics(
        host.name(),
        queue.name(),
        messageStats(values, rates, QueueCounters.KEPT),
        totals(values, rates, QUEUE_MESSAGES),
        queue.consumerCount());
  }

  @Override
  public List<ExchangeStatistics> exchanges() {
    List<ExchangeStatistics> list = new ArrayList<>();
    for (VirtualHost host : broker.virtualHosts()) {
      for (Exchange exchange : host.exchanges()) {
        list.add(of(host, exchange));
      }
    }
    return list;
  }

  @Override
  public Optional<ExchangeStatistics> exchange(String virtualHost, String name) {
    VirtualHost host = broker.virtualHost(virtualHost);
    Exchange exchange = host == null ? null : host.exchange(name);
    return exchange == null ? Optional.empty() : Optional.of(of(host, exchange));
  }

  static ExchangeStatistics of(VirtualHost host, Exchange exchange) {
    long[] values = exchangeValues(exchange);
    RateWindow rates = exchange.counters().rates();
    return new ExchangeStatistics(
        host.name(),
        exchange.name(),
        rated(values, rates, 0),
        rated(values, rates, 1),
        exchange.counters().returned(),
        exchange.counters().dropped());
  }

  @Override
  public List<ConnectionStatistics> connections() {
    List<ConnectionStatistics> list = new ArrayList<>();
    for (LocalConnection connection : broker.connections()) {
      list.add(of(connection));
    }
    return list;
  }

  static ConnectionStatistics of(LocalConnection connection) {
    ConnectionCounters counters = connection.counters();
    long[] values = counters.values();
    RateWindow rates = counters.rates();
    return new ConnectionStatistics(
        connection.client().details().name(),
        connection.virtualHost(),
        connection.user(),
        rated(values, rates, ConnectionCounters.OCTETS_RECEIVED),
        values[ConnectionCounters.PACKETS_RECEIVED],
        rated(values, rates, ConnectionCounters.OCTETS_SENT),
        values[ConnectionCounters.PACKETS_SENT],
        connection.channels().size());
  }

  @Override
  public List<ChannelStatistics> channels() {
    List<ChannelStatistics> list = new ArrayList<>();
    for (LocalConnection connection : broker.connections()) {
      for (LocalChannel channel : connection.channels()) {
        list.add(of(connection, channel));
      }
    }
    return list;
  }

  static ChannelStatistics of(LocalConnection connection, LocalChannel channel) {
    ChannelCounters counters = channel.counters();
    return new ChannelStatistics(
        connection.client().details().name(),
        channel.number(),
        connection.virtualHost(),
        connection.user(),
        messageStats(channelValues(counters), counters.rates(), ALL_COUNTERS),
        counters.publisher());
  }

  @Override
  public NodeStatistics node() {
    return new NodeStatistics(
        resources.get(),
        operatingSystemAttribute("OpenFileDescriptorCount"),
        operatingSystemAttribute("MaxFileDescriptorCount"),
        (System.nanoTime() - startedNanos) / 1_000_000);
  }

  /**
   * A JDK-specific attribute of the operating system's MXBean, or -1. Read through the MBean server
   * rather than com.sun.management's types: WildFly's module class loader does not show deployments
   * that package.
   */
  private static long operatingSystemAttribute(String name) {
    try {
      return ((Number)
              ManagementFactory.getPlatformMBeanServer()
                  .getAttribute(
                      new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), name))
          .longValue();
    } catch (JMException | ClassCastException e) {
      return -1;
    }
  }

  @Override
  public MessageSizeHistogram messageSizes() {
    long[] totals = new long[ChannelCounters.TOTALS];
    for (VirtualHostCounters counters : hosts.values()) {
      long[] channels = counters.channelTotals();
      for (int i = 0; i < totals.length; i++) {
        totals[i] += channels[i];
      }
    }
    return MessageSizes.histogram(totals, MessageCounter.values().length);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
