package dev.warren.rar.adapter;

import dev.warren.broker.engine.api.ChannelListener;

/**
 * A channel listener that learns when its channel lost the deliveries it had made: the connection
 * to a remote broker failed, or the broker closed the channel. The broker has requeued every
 * message not yet acknowledged and delivers them again (flagged redelivered) once the channel is
 * back, so the old deliveries must no longer be settled: an ack would not reach them, and a retry
 * copy would duplicate them. The embedded broker's channels never reset.
 */
public interface ChannelResetListener extends ChannelListener {

  /** Called before the channel delivers anything anew; must not block. */
  void channelReset();
}
