package dev.warren.broker.engine;

import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.metrics.ChannelCounters;
import dev.warren.broker.model.DirectReplyTo;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.HomeNode;
import dev.warren.broker.model.JoinedConfirmation;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.MessageRoutes;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.RoutedQueues;
import dev.warren.broker.model.SenderSelected;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.ReplyCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts one channel's published messages into the queues they route to (with CC/BCC keys and
 * alternate exchanges, see {@link MessageRoutes}) or straight to a direct reply-to consumer, and
 * posts basic.return for unroutable mandatory ones. Owned by the publishing channel, so its scratch
 * space is reused without locking.
 */
final class MessageRouter {
  private final VirtualHost virtualHost;
  private final ListenerMailbox mailbox;
  private final ChannelCounters counters;
  private static final Persistence.Synced NO_WAIT = () -> {};

  private final RoutedQueues routed = new RoutedQueues();
  private final MessageRoutes routes;

  MessageRouter(VirtualHost virtualHost, ListenerMailbox mailbox, ChannelCounters counters) {
    this.virtualHost = virtualHost;
    this.mailbox = mailbox;
    this.counters = counters;
    this.routes = new MessageRoutes(virtualHost);
  }

  /**
   * Routes and enqueues a message.
   *
   * @return false if a queue refused it (the publisher is then nacked in confirm mode)
   */
  boolean route(Exchange exchange, Message message, boolean mandatory) {
    return route(exchange, message, mandatory, null).accepted();
  }

  /** What became of a routed message. */
  record Routed(boolean accepted, boolean stored) {}

  private static final Routed UNROUTED = new Routed(true, false);

  /**
   * Routes and enqueues a message, writing it to the store first if it is persistent and reaches a
   * stored queue.
   *
   * @param onStored told once the stored copy is on disk, or null if nobody waits for that
   */
  Routed route(Exchange exchange, Message message, boolean mandatory, Persistence.Synced onStored) {
    if (DirectReplyTo.isReply(message)) {
      if (virtualHost.directReplyTo().deliver(message)) {
        counters.routed(true, mandatory);
        exchange.counters().routed(0);
        return UNROUTED;
      }
    } else {
      routes.collect(
          exchange, MessageRoutes.routingKeys(message), message.properties().headers(), routed);
    }
    try {
      if (routed.isEmpty()) {
        counters.routed(false, mandatory);
        exchange.counters().unroutable(mandatory);
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
        return UNROUTED;
      }
      List<Queue> queues = routed.queues();
      counters.routed(true, mandatory);
      exchange.counters().routed(queues.size());
      return enqueue(queues, message, onStored);
    } finally {
      routed.clear();
    }
  }

  /**
   * Puts a message into queues chosen already: those a publish routes to, or those a cluster peer
   * routed a forwarded publish to.
   */
  Routed enqueue(List<Queue> queues, Message message, Persistence.Synced onStored) {
    if (anyKeptElsewhere(queues)) {
      return routeReplicated(message, queues, onStored);
    }
    boolean accepted = true;
    Message withoutBcc = SenderSelected.withoutBcc(message);
    // Written before any queue holds it, so that an ack always reaches the store after it; and
    // as the queues hold it, since they may page it in from the store.
    long storeId =
        message.properties().persistent()
            ? virtualHost
                .persistence()
                .store(withoutBcc, queues, onStored == null ? NO_WAIT : onStored)
            : 0;
    Message kept = storeId == 0 ? withoutBcc : withoutBcc.withStoreId(storeId);
    for (int i = 0; i < queues.size(); i++) {
      accepted &= queues.get(i).enqueue(kept);
    }
    return new Routed(accepted, storeId != 0);
  }

  private static boolean anyKeptElsewhere(List<Queue> queues) {
    for (int i = 0; i < queues.size(); i++) {
      if (queues.get(i).keptElsewhere()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A message that reaches queues kept elsewhere (quorum queues, other nodes' classic queues): its
   * confirm waits for each quorum queue, for each other node whose queues it reaches (once per
   * node, naming all of them), and for the store's write, if local durable queues take it too.
   */
  private Routed routeReplicated(Message message, List<Queue> queues, Persistence.Synced onStored) {
    Map<HomeNode, List<String>> forwarded = Map.of(); // made only if another node's queue is hit
    int replicated = 0;
    for (int i = 0; i < queues.size(); i++) {
      Queue queue = queues.get(i);
      Optional<HomeNode> home = queue.forwardedTo();
      if (home.isPresent()) {
        if (forwarded.isEmpty()) {
          forwarded = new LinkedHashMap<>();
        }
        forwarded.computeIfAbsent(home.get(), node -> new ArrayList<>()).add(queue.name());
      } else if (queue.keptElsewhere()) {
        replicated++;
      }
    }
    JoinedConfirmation confirmation =
        new JoinedConfirmation(
            onStored == null ? NO_WAIT : onStored, replicated + forwarded.size() + 1);
    Message withoutBcc = SenderSelected.withoutBcc(message);
    long storeId =
        message.properties().persistent()
            ? virtualHost.persistence().store(withoutBcc, queues, confirmation)
            : 0;
    if (storeId == 0) {
      confirmation.partDone(); // nothing for the store to write
    }
    Message kept = storeId == 0 ? withoutBcc : withoutBcc.withStoreId(storeId);
    boolean accepted = true;
    for (int i = 0; i < queues.size(); i++) {
      Queue queue = queues.get(i);
      if (!queue.keptElsewhere()) {
        accepted &= queue.enqueue(kept);
      } else if (queue.forwardedTo().isEmpty()) {
        queue.enqueue(withoutBcc, confirmation);
      }
    }
    forwarded.forEach(
        (home, names) -> home.publish(virtualHost.name(), names, withoutBcc, confirmation));
    return new Routed(accepted, true);
  }
}
