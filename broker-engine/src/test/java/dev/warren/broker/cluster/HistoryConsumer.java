package dev.warren.broker.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer of a fault test as a RabbitMQ user writes one: the Java client with the cluster's
 * address list and automatic recovery, manual acks; every delivery (with its redelivered flag) and
 * every ack recorded in the {@link History}. When its node dies the client connects to another one
 * of the list and consumes again.
 */
final class HistoryConsumer implements AutoCloseable {
  private final Connection connection;
  private final AtomicInteger recoveries = new AtomicInteger();
  private final AtomicInteger cancellations = new AtomicInteger();
  private volatile boolean closed;

  private HistoryConsumer(Connection connection) {
    this.connection = connection;
  }

  static HistoryConsumer start(History history, String queue, Address[] addresses)
      throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(500);
    factory.setRequestedHeartbeat(5);
    factory.setConnectionTimeout(5000);
    factory.setChannelRpcTimeout(30_000);
    HistoryConsumer consumer = new HistoryConsumer(factory.newConnection(addresses));
    ((Recoverable) consumer.connection)
        .addRecoveryListener(
            new RecoveryListener() {
              @Override
              public void handleRecovery(Recoverable recovered) {
                consumer.recoveries.incrementAndGet();
              }

              @Override
              public void handleRecoveryStarted(Recoverable recovering) {}
            });
    Channel channel = consumer.connection.createChannel();
    channel.basicQos(50);
    consumer.consume(history, queue, channel);
    return consumer;
  }

  /**
   * Subscribes; when the broker cancels the subscription (a consumer that registered on a node cut
   * off from the majority is cancelled, and automatic recovery does not subscribe again), it
   * subscribes again, as a user's consumer would.
   */
  private void consume(History history, String queue, Channel channel) throws IOException {
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            long id = ByteBuffer.wrap(body).getLong();
            history.delivered(id, envelope.isRedeliver());
            getChannel().basicAck(envelope.getDeliveryTag(), false);
            history.acked(id);
          }

          @Override
          public void handleCancel(String tag) {
            cancellations.incrementAndGet();
            Thread again = new Thread(() -> consumeAgain(history, queue, channel));
            again.setDaemon(true);
            again.start();
          }
        });
  }

  private void consumeAgain(History history, String queue, Channel channel) {
    while (!closed) {
      try {
        Thread.sleep(500); // a back-off between attempts, not synchronisation
        consume(history, queue, channel);
        return;
      } catch (IOException | RuntimeException e) {
        // not yet (the node is still cut off, or the channel is recovering): try again
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** How often the broker cancelled the subscription. */
  int cancellations() {
    return cancellations.get();
  }

  /** The port of the node the consumer is connected to now. */
  int port() {
    return connection.getPort();
  }

  /** How often the client recovered onto a node. */
  int recoveries() {
    return recoveries.get();
  }

  @Override
  public void close() {
    closed = true;
    connection.abort(1000);
  }
}
