package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;

/**
 * RabbitMQ's 404 for an operation on a classic queue whose home node is down ({@link
 * Rejections#homeNodeDown}). A type of its own so that queue.delete can tell it from the owner's
 * own answer that it no longer has the queue: RabbitMQ refuses the first and answers delete-ok to
 * the second.
 */
public final class HomeNodeDown extends BrokerException {
  HomeNodeDown(String text) {
    super(ReplyCode.NOT_FOUND, text);
  }
}
