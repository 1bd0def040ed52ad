package dev.warren.broker.engine;

import dev.warren.broker.engine.api.HeldMessage;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.VirtualHost;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Recovered messages kept out of their queues because a transaction branch that delivered them was
 * prepared and is not decided yet (an XA resource manager's in-doubt acks, as Artemis keeps them in
 * its journal). They are taken aside while the store restores them, before anything can consume,
 * and stay unacknowledged in the store, so a restart before the decision holds them again. The
 * caller that named them acknowledges each one once the transaction manager decided.
 */
final class HeldRecoveredMessages {
  private static final System.Logger LOG = System.getLogger(HeldRecoveredMessages.class.getName());

  static final HeldRecoveredMessages NONE = new HeldRecoveredMessages();

  /** Queues are compared by identity: a recovered queue object is the one its messages go to. */
  private record Wanted(Queue queue, long storeId) {}

  private record Held(Queue queue, Message message) {}

  private final Map<Wanted, StoredMessageId> wanted = new HashMap<>();
  private final Map<StoredMessageId, Held> held = new LinkedHashMap<>();

  private HeldRecoveredMessages() {}

  /** Resolves the ids against the declared (recovered) topology, before the messages come back. */
  static HeldRecoveredMessages of(
      Collection<StoredMessageId> ids, Function<String, VirtualHost> virtualHosts) {
    HeldRecoveredMessages holds = new HeldRecoveredMessages();
    for (StoredMessageId id : ids) {
      VirtualHost host = virtualHosts.apply(id.virtualHost());
      Queue queue = host == null ? null : host.queue(id.queue());
      if (queue != null && id.storeId() != 0) {
        holds.wanted.put(new Wanted(queue, id.storeId()), id);
      }
    }
    return holds;
  }

  /** The store's restore of one message: back into its queue, or aside if it is to be held. */
  void restore(Queue queue, Message message) {
    StoredMessageId id = wanted.remove(new Wanted(queue, message.storeId()));
    if (id == null) {
      queue.restore(message);
      return;
    }
    synchronized (held) {
      held.put(id, new Held(queue, message));
    }
  }

  /** Once the store is recovered: what was asked for and not found is gone. */
  void recovered() {
    wanted.clear();
    int count;
    synchronized (held) {
      count = held.size();
    }
    if (count > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0} recovered messages held back for prepared transaction branches",
          count);
    }
  }

  List<HeldMessage> messages() {
    synchronized (held) {
      return held.entrySet().stream()
          .map(
              e -> {
                Message message = e.getValue().message();
                return new HeldMessage(
                    e.getKey(),
                    message.exchange(),
                    message.routingKey(),
                    message.properties(),
                    message.body());
              })
          .toList();
    }
  }

  /** Acknowledges a held message and returns once the acknowledgement is on disk. */
  void acknowledge(StoredMessageId id, Persistence persistence) {
    Held message;
    synchronized (held) {
      message = held.remove(id);
    }
    if (message == null) {
      return;
    }
    message.queue().released(QueueEntry.delivered(message.message(), 0, true));
    StoreBarrier.await(persistence);
  }
}
