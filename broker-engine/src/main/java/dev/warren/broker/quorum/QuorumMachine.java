package dev.warren.broker.quorum;

import dev.warren.broker.model.MessageExpiry;
import dev.warren.broker.quorum.QuorumState.ConsumerState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A quorum queue as a pure function, after RabbitMQ's {@code rabbit_fifo}: {@code apply(meta,
 * command, state) -> (state, reply, effects)}. It reads nothing but its arguments (time comes from
 * the entry), so every member that applies the same log reaches the same state and computes the
 * same effects; its caller carries the effects out (deliveries on the consumer's node, dead letters
 * on the leader). No threads, no I/O, no Raft.
 */
public final class QuorumMachine {

  /** Dead-letter reasons, as RabbitMQ writes them in x-death. */
  static final String EXPIRED = "expired";

  static final String MAXLEN = "maxlen";
  static final String REJECTED = "rejected";
  static final String DELIVERY_LIMIT = "delivery_limit";

  /**
   * What the entry carries besides the command.
   *
   * @param index the entry's position in the log
   * @param now the proposing member's clock when it proposed the entry (milliseconds)
   */
  public record Meta(long index, long now) {}

  /** The outcome of one command. */
  public record Applied(QuorumState state, QuorumReply reply, List<QuorumEffect> effects) {}

  private QuorumMachine() {}

  public static Applied apply(Meta meta, QuorumCommand command, QuorumState state) {
    state.clock = Math.max(state.clock, meta.now());
    List<QuorumEffect> effects = new ArrayList<>();
    expireHead(state, effects);
    QuorumReply reply = QuorumReply.OK;
    if (command instanceof QuorumCommand.Enqueue c) {
      reply = enqueue(state, c, effects);
    } else if (command instanceof QuorumCommand.Checkout c) {
      checkout(state, c);
    } else if (command instanceof QuorumCommand.Cancel c) {
      cancel(state, c.consumer());
    } else if (command instanceof QuorumCommand.Settle c) {
      release(state, c.consumer(), c.ids(), settled -> {});
    } else if (command instanceof QuorumCommand.Return c) {
      release(state, c.consumer(), c.ids(), held -> requeue(state, held, effects));
    } else if (command instanceof QuorumCommand.Release c) {
      release(state, c.consumer(), c.ids(), held -> putBack(state, held));
    } else if (command instanceof QuorumCommand.Discard c) {
      release(
          state,
          c.consumer(),
          c.ids(),
          held -> effects.add(new QuorumEffect.DeadLetter(held.message(), REJECTED)));
    } else if (command instanceof QuorumCommand.Dequeue c) {
      reply = dequeue(state, c);
    } else if (command instanceof QuorumCommand.Purge) {
      reply = purge(state);
    } else if (command instanceof QuorumCommand.ChannelDown c) {
      consumersGone(state, c.node(), c.channel(), effects);
    } else if (command instanceof QuorumCommand.NodeDown c) {
      consumersGone(state, c.node(), null, effects);
    } else if (command instanceof QuorumCommand.Configure c) {
      state.settings = c.settings();
      dropHeadOverLimit(state, effects); // a lower limit trims the queue at once
    }
    dispatch(state, effects);
    // a message with TTL 0 is delivered to a consumer that can take it now, or never
    expireHead(state, effects);
    return new Applied(state, reply, effects);
  }

  // --- commands

  private static QuorumReply enqueue(
      QuorumState state, QuorumCommand.Enqueue c, List<QuorumEffect> effects) {
    QuorumSettings settings = state.settings;
    int size = c.message().body().length;
    if (c.mayReject()
        && settings.rejectPublish()
        && settings.over(state.readyCount() + 1L, state.readyBytes + size)) {
      if (settings.deadLetterRejected()) {
        effects.add(new QuorumEffect.DeadLetter(c.message(), MAXLEN));
      }
      return new QuorumReply.Rejected();
    }
    long expiresAt = MessageExpiry.expiresAt(c.message(), settings.messageTtl(), state.clock);
    state.messages.addLast(new QueuedMessage(state.nextId++, c.message(), 0, false, expiresAt));
    state.readyBytes += size;
    dropHeadOverLimit(state, effects);
    return QuorumReply.OK;
  }

  /** drop-head overflow: the oldest ready messages go (dead-lettered) until the limits hold. */
  private static void dropHeadOverLimit(QuorumState state, List<QuorumEffect> effects) {
    QuorumSettings settings = state.settings;
    while (settings.limited()
        && !settings.rejectPublish()
        && settings.over(state.readyCount(), state.readyBytes)) {
      effects.add(new QuorumEffect.DeadLetter(takeReady(state).message(), MAXLEN));
    }
  }

  private static void checkout(QuorumState state, QuorumCommand.Checkout c) {
    ConsumerState existing = state.consumers.get(c.consumer());
    if (existing != null && !existing.cancelled) {
      return; // a retried proposal
    }
    ConsumerState consumer = new ConsumerState(c.prefetch(), c.autoAck(), false);
    if (existing != null) {
      consumer.held.putAll(existing.held);
      state.consumers.remove(c.consumer());
    }
    state.consumers.put(c.consumer(), consumer);
    state.serviceOrder.addLast(c.consumer());
  }

  private static void cancel(QuorumState state, ConsumerKey key) {
    ConsumerState consumer = state.consumers.get(key);
    if (consumer == null) {
      return;
    }
    consumer.cancelled = true;
    state.serviceOrder.remove(key);
    forgetIfIdle(state, key, consumer);
  }

  /**
   * Takes the messages a consumer holds out of its hands (ids it does not hold are ignored: a
   * retried or late settlement) and gives each to {@code then}.
   */
  private static void release(
      QuorumState state,
      ConsumerKey key,
      List<Long> ids,
      java.util.function.Consumer<QueuedMessage> then) {
    ConsumerState consumer = state.consumers.get(key);
    if (consumer == null) {
      return;
    }
    for (long id : ids) {
      QueuedMessage held = consumer.held.remove(id);
      if (held != null) {
        then.accept(held);
      }
    }
    forgetIfIdle(state, key, consumer);
  }

  private static QuorumReply dequeue(QuorumState state, QuorumCommand.Dequeue c) {
    if (state.readyCount() == 0) {
      return new QuorumReply.Empty();
    }
    QueuedMessage next = takeReady(state);
    if (!c.autoAck()) {
      state
          .consumers
          .computeIfAbsent(c.getter(), k -> new ConsumerState(0, false, true))
          .held
          .put(next.id(), next);
    }
    return new QuorumReply.Got(next, state.readyCount());
  }

  private static QuorumReply purge(QuorumState state) {
    int count = state.readyCount();
    state.returns.clear();
    state.messages.clear();
    state.readyBytes = 0;
    return new QuorumReply.Purged(count);
  }

  /** Consumers of a closed channel (or of a node that is gone) go; their messages come back. */
  private static void consumersGone(
      QuorumState state, String node, Long channel, List<QuorumEffect> effects) {
    Iterator<Map.Entry<ConsumerKey, ConsumerState>> entries = state.consumers.entrySet().iterator();
    List<QueuedMessage> returned = new ArrayList<>();
    while (entries.hasNext()) {
      Map.Entry<ConsumerKey, ConsumerState> entry = entries.next();
      ConsumerKey key = entry.getKey();
      if (key.node().equals(node) && (channel == null || key.channel() == channel)) {
        returned.addAll(entry.getValue().held.values());
        entries.remove();
        state.serviceOrder.remove(key);
      }
    }
    for (QueuedMessage message : returned) {
      requeue(state, message, effects);
    }
  }

  // --- the queue's own rules

  /** A message back from a consumer: counted, and dead-lettered past the delivery limit. */
  private static void requeue(QuorumState state, QueuedMessage held, List<QuorumEffect> effects) {
    QueuedMessage back = held.returned();
    if (state.settings.deliveryLimitExceeded(back.deliveryCount())) {
      effects.add(new QuorumEffect.DeadLetter(back.message(), DELIVERY_LIMIT));
      return;
    }
    putBack(state, back);
  }

  private static void putBack(QuorumState state, QueuedMessage message) {
    state.returns.put(message.id(), message);
    state.readyBytes += message.size();
  }

  private static void forgetIfIdle(QuorumState state, ConsumerKey key, ConsumerState consumer) {
    if ((consumer.cancelled || consumer.getter) && consumer.held.isEmpty()) {
      state.consumers.remove(key);
    }
  }

  /** The next ready message: returned ones first, in their original order. */
  private static QueuedMessage takeReady(QuorumState state) {
    QueuedMessage next =
        state.returns.isEmpty()
            ? state.messages.pollFirst()
            : state.returns.pollFirstEntry().getValue();
    state.readyBytes -= next.size();
    return next;
  }

  private static QueuedMessage peekReady(QuorumState state) {
    return state.returns.isEmpty()
        ? state.messages.peekFirst()
        : state.returns.firstEntry().getValue();
  }

  /** Drops the expired messages at the head, as RabbitMQ's quorum queues expire from the head. */
  private static void expireHead(QuorumState state, List<QuorumEffect> effects) {
    for (QueuedMessage head = peekReady(state);
        head != null && head.expiresAt() <= state.clock;
        head = peekReady(state)) {
      effects.add(new QuorumEffect.DeadLetter(takeReady(state).message(), EXPIRED));
    }
  }

  /**
   * Hands ready messages to consumers with credit: round robin, or only to the first registered
   * consumer that is still active with {@code x-single-active-consumer}.
   */
  private static void dispatch(QuorumState state, List<QuorumEffect> effects) {
    while (state.readyCount() > 0) {
      ConsumerKey key = nextWithCredit(state);
      if (key == null) {
        return;
      }
      ConsumerState consumer = state.consumers.get(key);
      QueuedMessage next = takeReady(state);
      effects.add(new QuorumEffect.Deliver(key, next));
      if (!consumer.autoAck) {
        consumer.held.put(next.id(), next); // as it was: a release puts it back unchanged
      }
    }
  }

  private static ConsumerKey nextWithCredit(QuorumState state) {
    if (state.settings.singleActiveConsumer()) {
      for (Map.Entry<ConsumerKey, ConsumerState> entry : state.consumers.entrySet()) {
        ConsumerState consumer = entry.getValue();
        if (!consumer.cancelled && !consumer.getter) {
          return consumer.hasCredit() ? entry.getKey() : null;
        }
      }
      return null;
    }
    for (int i = 0; i < state.serviceOrder.size(); i++) {
      ConsumerKey key = state.serviceOrder.pollFirst();
      state.serviceOrder.addLast(key);
      if (state.consumers.get(key).hasCredit()) {
        return key;
      }
    }
    return null;
  }
}
