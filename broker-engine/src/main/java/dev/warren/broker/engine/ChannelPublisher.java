package dev.warren.broker.engine;

import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.MessageExpiry;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.BasicProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a channel's publishes go, by the mode its owner selected: to the queues at once, to the
 * queues and then confirmed (confirm.select), or into the transaction until it commits (tx.select).
 * The mode also decides whether the channel's settlements wait for a commit. Owner thread only;
 * listings read the mode from another thread.
 */
final class ChannelPublisher {
  private enum Mode {
    PLAIN,
    CONFIRM,
    TX
  }

  private final VirtualHost virtualHost;
  private final MessageRouter router;
  private final ReplyConsumer replyConsumer;
  private final PublisherConfirms confirms;
  private final ChannelTransaction transaction;
  private final ChannelCounters counters;
  private final ListenerMailbox mailbox;
  private Mode mode = Mode.PLAIN;

  ChannelPublisher(
      VirtualHost virtualHost,
      MessageRouter router,
      ReplyConsumer replyConsumer,
      ChannelTransaction transaction,
      ChannelCounters counters,
      ListenerMailbox mailbox) {
    this.virtualHost = virtualHost;
    this.router = router;
    this.replyConsumer = replyConsumer;
    this.confirms = new PublisherConfirms(mailbox, counters);
    this.transaction = transaction;
    this.counters = counters;
    this.mailbox = mailbox;
  }

  void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    Exchange target = virtualHost.exchangeForPublish(exchange);
    counters.published(body == null ? 0 : body.length, mode == Mode.CONFIRM);
    BasicProperties given = properties == null ? BasicProperties.EMPTY : properties;
    MessageExpiry.validate(given);
    Message message = new Message(exchange, routingKey, replyConsumer.rewriteReplyTo(given), body);
    if (mode == Mode.TX) {
      transaction.publish(target, message, mandatory);
      return;
    }
    if (mode == Mode.CONFIRM) {
      // Confirmed once every queue holds the message and a stored copy is on disk.
      PublisherConfirms.Pending pending = confirms.next();
      MessageRouter.Routed routed = router.route(target, message, mandatory, pending);
      pending.routed(routed.accepted(), routed.stored());
      return;
    }
    router.route(target, message, mandatory);
    mailbox.flush();
  }

  /** A publish another node routed already, to the queues it chose that this node keeps. */
  void publishForwarded(
      List<String> queues,
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body) {
    List<Queue> targets = new ArrayList<>(queues.size());
    for (String name : queues) {
      Queue queue = virtualHost.queue(name);
      if (queue != null && !queue.keptElsewhere()) {
        targets.add(queue); // a queue deleted meanwhile takes nothing, as RabbitMQ's would
      }
    }
    counters.published(body == null ? 0 : body.length, mode == Mode.CONFIRM);
    Message message =
        new Message(
            exchange, routingKey, properties == null ? BasicProperties.EMPTY : properties, body);
    if (mode == Mode.CONFIRM) {
      PublisherConfirms.Pending pending = confirms.next();
      MessageRouter.Routed routed = router.enqueue(targets, message, pending);
      pending.routed(routed.accepted(), routed.stored());
      return;
    }
    router.enqueue(targets, message, null);
    mailbox.flush();
  }

  void selectConfirms() {
    if (mode == Mode.TX) {
      throw Rejections.txToConfirm();
    }
    mode = Mode.CONFIRM;
  }

  void selectTx() {
    if (mode == Mode.CONFIRM) {
      throw Rejections.confirmToTx();
    }
    mode = Mode.TX;
  }

  boolean confirming() {
    return mode == Mode.CONFIRM;
  }

  boolean transactional() {
    return mode == Mode.TX;
  }

  /** Publishes awaiting their confirm, for listings. */
  int outstandingConfirms() {
    return confirms.outstanding();
  }
}
