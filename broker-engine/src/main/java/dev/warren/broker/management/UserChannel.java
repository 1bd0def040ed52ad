package dev.warren.broker.management;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ReturnedMessage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An in-VM channel opened as the API's user, as RabbitMQ's plugin opens a direct connection: queue
 * and exchange operations, publishing and getting go through it, so the user's permissions and
 * every AMQP rule apply, with the same refusals.
 */
public final class UserChannel implements ChannelListener {
  /** How long a publish waits for its confirm (a persistent message waits for the disk). */
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

  private final CountDownLatch confirmed = new CountDownLatch(1);
  private volatile boolean returned;
  private volatile boolean acked;
  private BrokerChannel channel;

  private UserChannel() {}

  /** Runs {@code work} on a fresh channel of a fresh connection to the vhost, then closes both. */
  public static <T> T with(ApiCall call, String vhost, Function<UserChannel, T> work) {
    UserChannel session = new UserChannel();
    try (BrokerConnection connection =
        call.broker().connect(vhost, call.user().name(), "management")) {
      try (BrokerChannel channel = connection.openChannel(session)) {
        session.channel = channel;
        return work.apply(session);
      }
    }
  }

  public BrokerChannel channel() {
    return channel;
  }

  /**
   * Publishes as the publish endpoint does: confirmed and mandatory.
   *
   * @return whether a queue took it
   * @throws ApiException 400 if the broker refused it (a queue limit rejected it)
   */
  public boolean publishConfirmed(
      String exchange,
      String routingKey,
      dev.warren.broker.protocol.BasicProperties properties,
      byte[] body) {
    channel.selectConfirms();
    channel.publish(exchange, routingKey, true, properties, body);
    try {
      if (!confirmed.await(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ApiException(500, "internal_server_error", "publish not confirmed in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(500, "internal_server_error", "interrupted");
    }
    if (!acked) {
      throw ApiException.badRequest("Unable to publish message. Check queue limits.");
    }
    return !returned;
  }

  @Override
  public void deliver(Delivery delivery) {
    // the channel never consumes
  }

  @Override
  public void returned(ReturnedMessage message) {
    returned = true;
  }

  @Override
  public void confirmed(long seqNo, boolean multiple, boolean ack) {
    acked = ack;
    confirmed.countDown();
  }

  @Override
  public void consumerCancelled(String consumerTag) {
    // the channel never consumes
  }
}
