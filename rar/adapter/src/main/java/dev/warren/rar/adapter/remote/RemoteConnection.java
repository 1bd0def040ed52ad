package dev.warren.rar.adapter.remote;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ChannelListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An engine-API connection over one connection of RabbitMQ's Java client, which recovers it (and
 * its channels, declarations and consumers) after a failure, trying every address again.
 */
final class RemoteConnection implements BrokerConnection {
  private static final System.Logger LOG = System.getLogger(RemoteConnection.class.getName());
  private static final int CLOSE_TIMEOUT_MILLIS = 10_000;

  private final Connection connection;
  private final String virtualHost;
  private final String user;
  private final ScheduledExecutorService reopener;
  private final Duration reopenDelay;

  RemoteConnection(
      Connection connection,
      String virtualHost,
      String user,
      ScheduledExecutorService reopener,
      Duration reopenDelay) {
    this.connection = connection;
    this.virtualHost = virtualHost;
    this.user = user;
    this.reopener = reopener;
    this.reopenDelay = reopenDelay;
  }

  @Override
  public String virtualHost() {
    return virtualHost;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public BrokerChannel openChannel(ChannelListener listener) {
    return new RemoteChannel(connection, listener, reopener, reopenDelay);
  }

  /** The external broker's client numbers its channels itself. */
  @Override
  public BrokerChannel openChannel(int number, ChannelListener listener) {
    return openChannel(listener);
  }

  /** Also stops the client's recovery if the broker is away. */
  @Override
  public void close() {
    try {
      connection.close(CLOSE_TIMEOUT_MILLIS);
    } catch (IOException | ShutdownSignalException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a connection that had already failed", e);
      connection.abort(CLOSE_TIMEOUT_MILLIS);
    }
  }
}
