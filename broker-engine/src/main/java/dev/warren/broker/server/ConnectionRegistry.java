package dev.warren.broker.server;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The server's open connections, so that a shutdown can tell each of them why it ends. */
final class ConnectionRegistry {
  private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();

  void add(AmqpConnection connection) {
    connections.add(connection);
  }

  void remove(AmqpConnection connection) {
    connections.remove(connection);
  }

  /**
   * Sends every connection 320 CONNECTION_FORCED, gives the clients until {@code grace} to answer
   * with close-ok, then closes whatever socket is still open.
   */
  void shutdownAll(Duration grace) {
    List<AmqpConnection> open = List.copyOf(connections);
    open.forEach(AmqpConnection::shutdown);
    long deadline = System.nanoTime() + grace.toNanos();
    for (AmqpConnection connection : open) {
      Channel channel = connection.nettyChannel();
      long left = deadline - System.nanoTime();
      if (left <= 0 || !channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
  }
}
