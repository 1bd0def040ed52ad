package dev.warren.rar.adapter.remote;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;
import java.util.regex.Pattern;

/**
 * The Java client's failures as the engine API's {@link BrokerException}, so that the adapter
 * handles a remote broker's refusal exactly as the embedded broker's: same reply code, same text.
 */
final class RemoteErrors {
  /** RabbitMQ prefixes reply texts with the code's name ("NOT_FOUND - no queue ..."). */
  private static final Pattern CODE_PREFIX = Pattern.compile("^[A-Z_]+ - ");

  private RemoteErrors() {}

  static BrokerException toBrokerException(Exception failure) {
    BrokerException translated = translate(failure);
    translated.initCause(failure);
    return translated;
  }

  private static BrokerException translate(Exception failure) {
    if (failure instanceof AuthenticationFailureException) {
      return BrokerException.accessRefused("the remote broker refused the login: " + failure);
    }
    ShutdownSignalException shutdown = shutdownSignal(failure);
    if (shutdown != null) {
      Object reason = shutdown.getReason();
      if (reason instanceof AMQP.Channel.Close close) {
        return closedWith(close.getReplyCode(), close.getReplyText());
      }
      if (reason instanceof AMQP.Connection.Close close) {
        return closedWith(close.getReplyCode(), close.getReplyText());
      }
    }
    return new BrokerException(
        ReplyCode.CONNECTION_FORCED,
        "the remote broker cannot be reached: " + failure.getMessage());
  }

  private static BrokerException closedWith(int code, String text) {
    ReplyCode replyCode;
    try {
      replyCode = ReplyCode.of(code);
    } catch (IllegalArgumentException e) {
      replyCode = ReplyCode.INTERNAL_ERROR;
    }
    return new BrokerException(replyCode, CODE_PREFIX.matcher(text).replaceFirst(""));
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
