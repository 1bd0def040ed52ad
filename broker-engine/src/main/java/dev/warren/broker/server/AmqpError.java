package dev.warren.broker.server;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.AmqpMethod;
import dev.warren.broker.protocol.ChannelMethod;
import dev.warren.broker.protocol.ConnectionMethod;
import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.ReplyCode;

/**
 * A broken rule on its way to becoming a channel.close or connection.close: the reply code, the
 * explanation without the label, and the class and method id of the offending method (0 and 0 when
 * no method caused it, as RabbitMQ sends them).
 */
record AmqpError(ReplyCode code, String text, int classId, int methodId) {

  static AmqpError of(ReplyCode code, String text, AmqpMethod cause) {
    return cause == null
        ? new AmqpError(code, text, 0, 0)
        : new AmqpError(code, text, cause.classId(), cause.methodId());
  }

  static AmqpError from(BrokerException e, AmqpMethod cause) {
    return of(e.replyCode(), e.getMessage(), cause);
  }

  /** A frame of a kind the connection's state does not allow on its channel. */
  static AmqpError unexpectedFrame(Frame frame) {
    return of(
        ReplyCode.UNEXPECTED_FRAME,
        "unexpected %s frame on channel %d"
            .formatted(frame.getClass().getSimpleName(), frame.channel()),
        null);
  }

  boolean closesConnection() {
    return code.closesConnection();
  }

  /** RabbitMQ's reply text format, e.g. "NOT_FOUND - no queue 'q' in vhost '/'". */
  String replyText() {
    return code.label() + " - " + text;
  }

  ConnectionMethod.Close toConnectionClose() {
    return new ConnectionMethod.Close(code.code(), replyText(), classId, methodId);
  }

  ChannelMethod.Close toChannelClose() {
    return new ChannelMethod.Close(code.code(), replyText(), classId, methodId);
  }
}
