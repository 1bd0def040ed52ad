package dev.warren.broker.engine.api;

import dev.warren.broker.protocol.ReplyCode;

/**
 * A broken rule, carrying the AMQP reply code it maps to. The AMQP server turns it into a
 * channel.close or connection.close (see {@link ReplyCode#closesConnection()}); in-VM callers get
 * it as an exception. The message is the reply text without the code prefix, e.g. {@code "no queue
 * 'q1' in vhost '/'"}.
 */
public class BrokerException extends RuntimeException {
  private final ReplyCode replyCode;

  public BrokerException(ReplyCode replyCode, String text) {
    super(text);
    this.replyCode = replyCode;
  }

  public ReplyCode replyCode() {
    return replyCode;
  }

  public static BrokerException notFound(String text) {
    return new BrokerException(ReplyCode.NOT_FOUND, text);
  }

  public static BrokerException preconditionFailed(String text) {
    return new BrokerException(ReplyCode.PRECONDITION_FAILED, text);
  }

  public static BrokerException accessRefused(String text) {
    return new BrokerException(ReplyCode.ACCESS_REFUSED, text);
  }

  public static BrokerException resourceLocked(String text) {
    return new BrokerException(ReplyCode.RESOURCE_LOCKED, text);
  }
}
