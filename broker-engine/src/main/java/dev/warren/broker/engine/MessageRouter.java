package dev.warren.broker.engine;

import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.RoutedQueues;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.ReplyCode;
import java.util.List;

/**
 * Puts one channel's published messages into the queues they route to, and posts basic.return for
 * unroutable mandatory ones. Owned by the publishing channel, so its scratch space is reused
 * without locking.
 */
final class MessageRouter {
  private final VirtualHost virtualHost;
  private final ListenerMailbox mailbox;
  private final RoutedQueues routed = new RoutedQueues();

  MessageRouter(VirtualHost virtualHost, ListenerMailbox mailbox) {
    this.virtualHost = virtualHost;
    this.mailbox = mailbox;
  }

  /**
   * Routes and enqueues a message.
   *
   * @return false if a queue refused it (the publisher is then nacked in confirm mode)
   */
  boolean route(Exchange exchange, Message message, boolean mandatory) {
    virtualHost.route(exchange, message.routingKey(), message.properties().headers(), routed);
    try {
      if (routed.isEmpty()) {
        if (mandatory) {
          mailbox.post(
              new ReturnedMessage(
                  ReplyCode.NO_ROUTE.code(),
                  ReplyCode.NO_ROUTE.label(),
                  message.exchange(),
                  message.routingKey(),
                  message.properties(),
                  message.body()));
        }
        return true;
      }
      boolean accepted = true;
      List<Queue> queues = routed.queues();
      for (int i = 0; i < queues.size(); i++) {
        accepted &= queues.get(i).enqueue(message);
      }
      return accepted;
    } finally {
      routed.clear();
    }
  }
}
