package dev.warren.rar.adapter;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;
import java.time.Duration;

/**
 * The broker cannot be reached now — a remote broker that is down or restarting — rather than
 * refusing: worth trying again after {@link #retryAfter}.
 */
public final class BrokerUnreachableException extends BrokerException {
  private final transient Duration retryAfter;

  public BrokerUnreachableException(String text, Duration retryAfter, Throwable cause) {
    super(ReplyCode.CONNECTION_FORCED, text);
    this.retryAfter = retryAfter;
    initCause(cause);
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
