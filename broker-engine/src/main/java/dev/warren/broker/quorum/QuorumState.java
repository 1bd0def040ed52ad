package dev.warren.broker.quorum;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A quorum queue's state: what every member holds after applying the same log. {@link
 * QuorumMachine#apply} takes it and gives it back updated; it is used linearly (one owner, never
 * shared), which lets a command cost O(1) instead of copying the queue as an immutable value would.
 */
public final class QuorumState {

  /** A registered consumer (or a basic.get's checkout) and the messages it holds unsettled. */
  static final class ConsumerState {
    final int prefetch;
    final boolean autoAck;
    final boolean getter;
    boolean cancelled;
    final LinkedHashMap<Long, QueuedMessage> held = new LinkedHashMap<>();

    ConsumerState(int prefetch, boolean autoAck, boolean getter) {
      this.prefetch = prefetch;
      this.autoAck = autoAck;
      this.getter = getter;
    }

    boolean hasCredit() {
      return !cancelled && !getter && (autoAck || prefetch == 0 || held.size() < prefetch);
    }
  }

  /** Replaced by {@link QuorumCommand.Configure} when the queue's policy changes. */
  QuorumSettings settings;

  long nextId = 1;

  /** The log's clock: the latest proposal time seen (a new leader's clock may lag behind). */
  long clock;

  /** Messages that came back, by id: served before {@link #messages}, oldest first. */
  final TreeMap<Long, QueuedMessage> returns = new TreeMap<>();

  final ArrayDeque<QueuedMessage> messages = new ArrayDeque<>();
  long readyBytes;

  /** Consumers in registration order (single active consumer: the first one that is active). */
  final Map<ConsumerKey, ConsumerState> consumers = new LinkedHashMap<>();

  /** Round-robin order of the consumers that take deliveries. */
  final ArrayDeque<ConsumerKey> serviceOrder = new ArrayDeque<>();

  public QuorumState(QuorumSettings settings) {
    this.settings = settings;
  }

  public QuorumSettings settings() {
    return settings;
  }

  /** Ready messages: queue.declare-ok's message count, basic.get-ok's remaining count. */
  public int readyCount() {
    return returns.size() + messages.size();
  }

  /** When the next ready message expires (messages expire from the head), or Long.MAX_VALUE. */
  public long nextExpiry() {
    long next = Long.MAX_VALUE;
    if (!returns.isEmpty()) {
      next = returns.firstEntry().getValue().expiresAt();
    }
    if (!messages.isEmpty()) {
      next = Math.min(next, messages.peekFirst().expiresAt());
    }
    return next;
  }

  /** Delivered and not yet settled. */
  public int unsettledCount() {
    int count = 0;
    for (ConsumerState consumer : consumers.values()) {
      count += consumer.held.size();
    }
    return count;
  }

  /** Consumers that may receive deliveries (cancelled ones and getters are not counted). */
  public int consumerCount() {
    int count = 0;
    for (ConsumerState consumer : consumers.values()) {
      if (!consumer.cancelled && !consumer.getter) {
        count++;
      }
    }
    return count;
  }
}
