package dev.warren.broker.prometheus;

import static dev.warren.broker.engine.api.MessageCounter.ACK;
import static dev.warren.broker.engine.api.MessageCounter.CONFIRM;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER;
import static dev.warren.broker.engine.api.MessageCounter.DELIVER_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.DROP_UNROUTABLE;
import static dev.warren.broker.engine.api.MessageCounter.GET;
import static dev.warren.broker.engine.api.MessageCounter.GET_EMPTY;
import static dev.warren.broker.engine.api.MessageCounter.GET_NO_ACK;
import static dev.warren.broker.engine.api.MessageCounter.PUBLISH;
import static dev.warren.broker.engine.api.MessageCounter.REDELIVER;
import static dev.warren.broker.engine.api.MessageCounter.RETURN_UNROUTABLE;

import dev.warren.broker.engine.api.ChannelSnapshot;
import dev.warren.broker.engine.api.ConnectionSnapshot;
import dev.warren.broker.engine.api.ConnectionStatistics;
import dev.warren.broker.engine.api.MessageCounter;
import dev.warren.broker.engine.api.MessageStats;
import dev.warren.broker.engine.api.QueueSnapshot;
import java.util.List;

/**
 * The families of queues, channels and connections, as rabbitmq_prometheus writes them: on {@code
 * /metrics} one unlabelled sample each, the sum over the objects there are now; on {@code
 * /metrics/per-object} one sample per object, labelled with its vhost and name.
 */
final class ObjectMetrics {

  /** A channel counter and the names RabbitMQ gives it. */
  private record ChannelCounter(String name, String help, MessageCounter... counters) {}

  private static final List<ChannelCounter> CHANNEL_COUNTERS =
      List.of(
          new ChannelCounter(
              "rabbitmq_channel_messages_published",
              "Total number of messages published into an exchange on a channel",
              PUBLISH),
          new ChannelCounter(
              "rabbitmq_channel_messages_confirmed",
              "Total number of messages published into an exchange and confirmed on the channel",
              CONFIRM),
          new ChannelCounter(
              "rabbitmq_channel_messages_unroutable_returned",
              "Total number of messages published as mandatory into an exchange and returned to"
                  + " the publisher as unroutable",
              RETURN_UNROUTABLE),
          new ChannelCounter(
              "rabbitmq_channel_messages_unroutable_dropped",
              "Total number of messages published as non-mandatory into an exchange and dropped"
                  + " as unroutable",
              DROP_UNROUTABLE),
          new ChannelCounter(
              "rabbitmq_channel_get_ack",
              "Total number of messages fetched with basic.get in manual acknowledgement mode",
              GET),
          new ChannelCounter(
              "rabbitmq_channel_get",
              "Total number of messages fetched with basic.get in automatic acknowledgement mode",
              GET_NO_ACK),
          new ChannelCounter(
              "rabbitmq_channel_messages_delivered_ack",
              "Total number of messages delivered to consumers in manual acknowledgement mode",
              DELIVER),
          new ChannelCounter(
              "rabbitmq_channel_messages_delivered",
              "Total number of messages delivered to consumers in automatic acknowledgement mode",
              DELIVER_NO_ACK),
          new ChannelCounter(
              "rabbitmq_channel_messages_redelivered",
              "Total number of messages redelivered to consumers",
              REDELIVER),
          new ChannelCounter(
              "rabbitmq_channel_messages_acked",
              "Total number of messages acknowledged by consumers",
              ACK),
          new ChannelCounter(
              "rabbitmq_channel_get_empty",
              "Total number of times basic.get operations fetched no message",
              GET_EMPTY));

  private ObjectMetrics() {}

  static void queues(List<QueueSnapshot> queues, boolean perObject, Families out) {
    if (!perObject) {
      long ready = 0;
      long unacked = 0;
      long consumers = 0;
      long readyBytes = 0;
      long unackedBytes = 0;
      for (QueueSnapshot queue : queues) {
        ready += queue.ready();
        unacked += queue.unacknowledged();
        consumers += queue.consumers();
        readyBytes += queue.readyBytes();
        unackedBytes += queue.unacknowledgedBytes();
      }
      queue(ready, unacked, consumers, readyBytes, unackedBytes, out);
      // per object, RabbitMQ labels this by channel and exchange too, which Warren does not count
      out.counter(
          "rabbitmq_queue_messages_published",
          "Total number of messages published to queues",
          queues.stream().mapToLong(q -> q.statistics().messageStats().count(PUBLISH)).sum());
      return;
    }
    for (QueueSnapshot queue : queues) {
      queue(
          queue.ready(),
          queue.unacknowledged(),
          queue.consumers(),
          queue.readyBytes(),
          queue.unacknowledgedBytes(),
          out,
          "vhost",
          queue.vhost(),
          "queue",
          queue.name());
    }
  }

  private static void queue(
      long ready,
      long unacked,
      long consumers,
      long readyBytes,
      long unackedBytes,
      Families out,
      String... labels) {
    out.gauge(
        "rabbitmq_queue_messages_ready",
        "Messages ready to be delivered to consumers",
        ready,
        labels);
    out.gauge(
        "rabbitmq_queue_messages_unacked",
        "Messages delivered to consumers but not yet acknowledged",
        unacked,
        labels);
    out.gauge(
        "rabbitmq_queue_messages",
        "Sum of ready and unacknowledged messages - total queue depth",
        ready + unacked,
        labels);
    out.gauge("rabbitmq_queue_consumers", "Consumers on a queue", consumers, labels);
    out.gauge(
        "rabbitmq_queue_messages_bytes",
        "Size in bytes of ready and unacknowledged messages",
        readyBytes + unackedBytes,
        labels);
    out.gauge(
        "rabbitmq_queue_messages_ready_bytes",
        "Size in bytes of ready messages",
        readyBytes,
        labels);
    out.gauge(
        "rabbitmq_queue_messages_unacked_bytes",
        "Size in bytes of all unacknowledged messages",
        unackedBytes,
        labels);
  }

  static void channels(List<ChannelSnapshot> channels, boolean perObject, Families out) {
    if (!perObject) {
      long[] gauges = new long[7];
      long[] counters = new long[CHANNEL_COUNTERS.size()];
      for (ChannelSnapshot channel : channels) {
        add(gauges, channelGauges(channel));
        add(counters, channelCounters(channel.statistics().messageStats()));
      }
      channel(gauges, counters, out);
      return;
    }
    for (ChannelSnapshot channel : channels) {
      channel(
          channelGauges(channel),
          channelCounters(channel.statistics().messageStats()),
          out,
          "channel",
          channel.connection().name() + " (" + channel.number() + ")");
    }
  }

  private static long[] channelGauges(ChannelSnapshot channel) {
    return new long[] {
      channel.consumers(),
      channel.unacknowledged(),
      channel.unconfirmed(),
      channel.uncommittedMessages(),
      channel.uncommittedAcks(),
      channel.prefetchCount(),
      channel.globalPrefetchCount()
    };
  }

  private static long[] channelCounters(MessageStats stats) {
    long[] values = new long[CHANNEL_COUNTERS.size()];
    for (int i = 0; i < values.length; i++) {
      for (MessageCounter counter : CHANNEL_COUNTERS.get(i).counters()) {
        values[i] += stats.count(counter);
      }
    }
    return values;
  }

  private static void channel(long[] gauges, long[] counters, Families out, String... labels) {
    out.gauge("rabbitmq_channel_consumers", "Consumers on a channel", gauges[0], labels);
    out.gauge(
        "rabbitmq_channel_messages_unacked",
        "Delivered but not yet acknowledged messages",
        gauges[1],
        labels);
    out.gauge(
        "rabbitmq_channel_messages_unconfirmed",
        "Published but not yet confirmed messages",
        gauges[2],
        labels);
    out.gauge(
        "rabbitmq_channel_messages_uncommitted",
        "Messages received in a transaction but not yet committed",
        gauges[3],
        labels);
    out.gauge(
        "rabbitmq_channel_acks_uncommitted",
        "Message acknowledgements in a transaction not yet committed",
        gauges[4],
        labels);
    out.gauge(
        "rabbitmq_consumer_prefetch",
        "Limit of unacknowledged messages for each consumer",
        gauges[5],
        labels);
    out.gauge(
        "rabbitmq_channel_prefetch",
        "Total limit of unacknowledged messages for all consumers on a channel",
        gauges[6],
        labels);
    for (int i = 0; i < counters.length; i++) {
      ChannelCounter counter = CHANNEL_COUNTERS.get(i);
      out.counter(counter.name(), counter.help(), counters[i], labels);
    }
  }

  static void connections(List<ConnectionSnapshot> connections, boolean perObject, Families out) {
    if (!perObject) {
      long[] sum = new long[5];
      for (ConnectionSnapshot connection : connections) {
        add(sum, connectionValues(connection));
      }
      connection(sum, out);
      return;
    }
    for (ConnectionSnapshot connection : connections) {
      connection(connectionValues(connection), out, "connection", connection.details().name());
    }
  }

  private static long[] connectionValues(ConnectionSnapshot connection) {
    ConnectionStatistics traffic = connection.statistics();
    return new long[] {
      traffic.octetsReceived().value(),
      traffic.octetsSent().value(),
      traffic.packetsReceived(),
      traffic.packetsSent(),
      connection.channels()
    };
  }

  private static void connection(long[] values, Families out, String... labels) {
    out.counter(
        "rabbitmq_connection_incoming_bytes",
        "Total number of bytes received on a connection",
        values[0],
        labels);
    out.counter(
        "rabbitmq_connection_outgoing_bytes",
        "Total number of bytes sent on a connection",
        values[1],
        labels);
    out.counter(
        "rabbitmq_connection_incoming_packets",
        "Total number of packets received on a connection",
        values[2],
        labels);
    out.counter(
        "rabbitmq_connection_outgoing_packets",
        "Total number of packets sent on a connection",
        values[3],
        labels);
    out.gauge(
        "rabbitmq_connection_pending_packets",
        "Number of packets waiting to be sent on a connection",
        0,
        labels);
    out.gauge("rabbitmq_connection_channels", "Channels on a connection", values[4], labels);
  }

  private static void add(long[] sum, long[] values) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += values[i];
    }
  }
}
