package dev.warren.broker.security;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** Helpers shared by the security tests: definitions files, client factories, close reasons. */
final class SecurityFixture {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private SecurityFixture() {}

  /** Writes a definitions file into the directory and returns its path. */
  static Path definitions(Path dir, String json) {
    try {
      Path file = dir.resolve("definitions-" + UUID.randomUUID() + ".json");
      Files.writeString(file, json, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ConnectionFactory factory(int port, String user, String password, String vhost) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(port);
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setVirtualHost(vhost);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout((int) TIMEOUT.toMillis());
    factory.setHandshakeTimeout((int) TIMEOUT.toMillis());
    factory.setShutdownTimeout((int) TIMEOUT.toMillis());
    factory.setChannelRpcTimeout((int) TIMEOUT.toMillis());
    return factory;
  }

  static String unique(String what) {
    return "warren-sec-" + what + "-" + UUID.randomUUID();
  }

  /** The channel.close or connection.close behind a failed client call, or null if none. */
  static AMQP.Channel.Close channelClose(Throwable failure) {
    ShutdownSignalException signal = shutdownSignal(failure);
    return signal != null && signal.getReason() instanceof AMQP.Channel.Close close ? close : null;
  }

  static AMQP.Connection.Close connectionClose(Throwable failure) {
    ShutdownSignalException signal = shutdownSignal(failure);
    return signal != null && signal.getReason() instanceof AMQP.Connection.Close close
        ? close
        : null;
  }

  /**
   * Forces a round trip on the channel so that an asynchronous refusal (of a publish) has arrived
   * when this returns or throws.
   */
  static void sync(Channel channel) throws IOException {
    channel.basicQos(0);
  }

  /**
   * The channel.close with which the broker answered an earlier asynchronous method (a publish).
   * The close may arrive before the round trip is sent (the client then throws {@code
   * AlreadyClosedException}) or in answer to it (an {@code IOException}); both carry the close.
   */
  static AMQP.Channel.Close refusalAfterSync(Channel channel) {
    try {
      sync(channel);
    } catch (IOException | ShutdownSignalException e) {
      return channelClose(e);
    }
    throw new AssertionError("the broker did not close the channel");
  }

  private static ShutdownSignalException shutdownSignal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException signal) {
        return signal;
      }
    }
    return null;
  }
}
