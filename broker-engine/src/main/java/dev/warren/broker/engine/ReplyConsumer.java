package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.model.DirectReplyTo;
import dev.warren.broker.model.Message;
import dev.warren.broker.protocol.BasicProperties;
import java.util.function.Predicate;

/**
 * A channel's direct reply-to consumer (at most one), with RabbitMQ's refusals: consuming with
 * acknowledgements, a second reply consumer, and publishing with reply_to {@code
 * amq.rabbitmq.reply-to} before consuming are 406 PRECONDITION_FAILED. Changed by the channel's
 * owner thread only.
 */
final class ReplyConsumer {
  private final DirectReplyTo registry;
  // volatile: replies are delivered on publishers' threads, and close may come from another one
  private volatile String tag;
  private volatile String address;

  ReplyConsumer(DirectReplyTo registry) {
    this.registry = registry;
  }

  static boolean isPseudoQueue(String queue) {
    return DirectReplyTo.PSEUDO_QUEUE.equals(queue);
  }

  String consume(String consumerTag, boolean noAck, Predicate<Message> deliver) {
    if (!noAck) {
      throw BrokerException.preconditionFailed("reply consumer cannot acknowledge");
    }
    if (tag != null) {
      throw BrokerException.preconditionFailed("reply consumer already set");
    }
    tag = consumerTag;
    address = registry.register(deliver);
    return tag;
  }

  String tag() {
    return tag;
  }

  /** Returns whether the tag was the reply consumer's (which is then cancelled). */
  boolean cancel(String consumerTag) {
    if (tag == null || !tag.equals(consumerTag)) {
      return false;
    }
    close();
    return true;
  }

  /** Replaces reply_to "amq.rabbitmq.reply-to" with this channel's private reply address. */
  BasicProperties rewriteReplyTo(BasicProperties properties) {
    if (!DirectReplyTo.PSEUDO_QUEUE.equals(properties.replyTo())) {
      return properties;
    }
    if (address == null) {
      throw BrokerException.preconditionFailed("fast reply consumer does not exist");
    }
    return properties.withReplyTo(address);
  }

  void close() {
    if (address != null) {
      registry.unregister(address);
    }
    tag = null;
    address = null;
  }
}
