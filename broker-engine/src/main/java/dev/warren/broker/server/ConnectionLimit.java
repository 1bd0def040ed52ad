package dev.warren.broker.server;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RabbitMQ's connection_max: sockets beyond the limit are closed as soon as they are accepted,
 * before any per-connection state is allocated. Counts sockets of all listeners.
 */
final class ConnectionLimit {
  private static final System.Logger LOG = System.getLogger(ConnectionLimit.class.getName());

  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * @param max 0 for no limit
   */
  ConnectionLimit(int max) {
    this.max = max;
  }

  /** Counts the socket until it closes; closes it at once (and returns true) if over the limit. */
  boolean refuses(Channel channel) {
    if (max <= 0) {
      return false;
    }
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              "closing AMQP connection from %s: node connection limit (%d) is reached"
                  .formatted(channel.remoteAddress(), max));
      channel.close();
      return true;
    }
    channel.closeFuture().addListener(closed -> open.decrementAndGet());
    return false;
  }
}
