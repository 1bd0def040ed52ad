package dev.warren.broker.server;

import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.protocol.ConnectionMethod;
import dev.warren.broker.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ's resource-alarm flow control for one connection. While an alarm is raised, a connection
 * that publishes is no longer read from (so a publisher flood cannot exhaust the heap) and, if its
 * client announced the {@code connection.blocked} capability, is told so with connection.blocked;
 * connection.unblocked follows when the alarm clears. Connections that only consume keep going.
 * Like RabbitMQ, the heartbeat check on a blocked connection is paused: its client's heartbeats are
 * not being read. Runs on the connection's event loop.
 */
final class PublisherBlocking {
  private final Channel channel;
  private final OutboundFrames outbound;
  private final ResourceAlarms alarms;
  private final boolean clientSupportsBlocked;
  private final AutoCloseable subscription;
  private boolean published;
  private volatile boolean blocked;
  private long readerIdleMillis;

  PublisherBlocking(
      Channel channel,
      OutboundFrames outbound,
      ResourceAlarms alarms,
      Map<String, Object> clientProperties) {
    this.channel = channel;
    this.outbound = outbound;
    this.alarms = alarms;
    this.clientSupportsBlocked = announcesBlocked(clientProperties);
    this.subscription = alarms.subscribe(() -> channel.eventLoop().execute(this::update));
  }

  private static boolean announcesBlocked(Map<String, Object> clientProperties) {
    return clientProperties != null
        && clientProperties.get("capabilities") instanceof Map<?, ?> capabilities
        && Boolean.TRUE.equals(capabilities.get("connection.blocked"));
  }

  /**
   * RabbitMQ's connection state: "blocked" once held back, "blocking" while an alarm is raised but
   * the connection has not published since, else "running". Any thread.
   */
  String state() {
    if (blocked) {
      return "blocked";
    }
    return alarms.blockReason() != null ? "blocking" : "running";
  }

  /** A basic.publish arrived on this connection. */
  void published() {
    published = true;
    update();
  }

  private void update() {
    String reason = alarms.blockReason();
    if (reason != null && published && !blocked && channel.isActive()) {
      block(reason);
    } else if (reason == null && blocked) {
      unblock();
    }
  }

  private void block(String reason) {
    blocked = true;
    channel.config().setAutoRead(false);
    pauseHeartbeatCheck();
    if (clientSupportsBlocked) {
      outbound.send(new Frame.Method(0, new ConnectionMethod.Blocked(reason)));
    }
  }

  private void unblock() {
    blocked = false;
    resumeHeartbeatCheck();
    channel.config().setAutoRead(true);
    if (clientSupportsBlocked) {
      outbound.send(new Frame.Method(0, new ConnectionMethod.Unblocked()));
    }
  }

  private void pauseHeartbeatCheck() {
    ChannelHandler handler = channel.pipeline().get("heartbeat");
    if (handler instanceof IdleStateHandler idle) {
      readerIdleMillis = idle.getReaderIdleTimeInMillis();
      channel
          .pipeline()
          .replace(
              "heartbeat",
              "heartbeat",
              new IdleStateHandler(0, idle.getWriterIdleTimeInMillis(), 0, TimeUnit.MILLISECONDS));
    }
  }

  private void resumeHeartbeatCheck() {
    ChannelHandler handler = channel.pipeline().get("heartbeat");
    if (handler instanceof IdleStateHandler idle && readerIdleMillis > 0) {
      channel
          .pipeline()
          .replace(
              "heartbeat",
              "heartbeat",
              new IdleStateHandler(
                  readerIdleMillis, idle.getWriterIdleTimeInMillis(), 0, TimeUnit.MILLISECONDS));
    }
  }

  /** The connection is gone: stop listening to the alarms. */
  void stop() {
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
