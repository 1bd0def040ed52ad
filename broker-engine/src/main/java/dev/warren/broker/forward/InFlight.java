package dev.warren.broker.forward;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.store.PayloadReader;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link NodeLink} waits on from the owner: requests awaiting their answer, forwarded
 * publishes awaiting their confirm, and subscriptions awaiting deliveries. Requests and publishes
 * share one sequence of ids. Answers arrive on the link's event loop; the rest is touched from the
 * callers' threads, hence the concurrent maps.
 */
final class InFlight {
  private final String node;

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<NodeLink.Reply>> requests = new ConcurrentHashMap<>();
  private final Map<Long, Persistence.Synced> publishes = new ConcurrentHashMap<>();
  private final Map<Long, NodeLink.Subscription> subscriptions = new ConcurrentHashMap<>();

  /**
   * @param node the owner's id, named in the {@link NodeLink.LinkDown} a request fails with
   */
  InFlight(String node) {
    this.node = node;
  }

  /** The forwarded publishes still awaiting a confirm. */
  int unconfirmed() {
    return publishes.size();
  }

  /** Awaits the owner's confirm of a publish; returns the publish's id. */
  long publish(Persistence.Synced confirmation) {
    long id = ids.incrementAndGet();
    publishes.put(id, confirmation);
    return id;
  }

  /** Stops waiting for publish {@code id}'s confirm; whether it was still awaited. */
  boolean withdraw(long id) {
    return publishes.remove(id) != null;
  }

  /** Awaits the answer to a request; returns the request's id. */
  long request(CompletableFuture<NodeLink.Reply> reply) {
    long id = ids.incrementAndGet();
    requests.put(id, reply);
    return id;
  }

  /** Fails request {@code id} as unanswered, unless it was answered already. */
  void fail(long id) {
    CompletableFuture<NodeLink.Reply> waiting = requests.remove(id);
    if (waiting != null) {
      waiting.completeExceptionally(new NodeLink.LinkDown(node));
    }
  }

  void subscribe(long sub, NodeLink.Subscription subscription) {
    subscriptions.put(sub, subscription);
  }

  void unsubscribe(long sub) {
    subscriptions.remove(sub);
  }

  /**
   * Reads one of the owner's answers, confirms or deliveries and hands it to whoever waits for it.
   *
   * @return false if {@code op} is none of those
   */
  boolean read(byte op, PayloadReader in) {
    switch (op) {
      case LinkFrames.DONE ->
          complete(in.readLong(), new NodeLink.Reply(in.readLong(), in.readLong(), null));
      case LinkFrames.FAILED -> {
        CompletableFuture<NodeLink.Reply> waiting = requests.remove(in.readLong());
        int code = in.readInt();
        String text = in.readString();
        if (waiting != null) {
          waiting.completeExceptionally(new BrokerException(ReplyCode.of(code), text));
        }
      }
      case LinkFrames.GOT -> {
        long id = in.readLong();
        NodeLink.Got got =
            new NodeLink.Got(
                in.readLong(), in.readByte() != 0, in.readInt(), LinkFrames.readMessage(in));
        complete(id, new NodeLink.Reply(0, 0, got));
      }
      case LinkFrames.CONFIRMED -> confirmed(in);
      case LinkFrames.DELIVER -> {
        NodeLink.Subscription subscription = subscriptions.get(in.readLong());
        long tag = in.readLong();
        boolean redelivered = in.readByte() != 0;
        Message message = LinkFrames.readMessage(in);
        if (subscription != null) {
          subscription.delivered(tag, redelivered, message);
        }
      }
      case LinkFrames.CANCELLED -> {
        NodeLink.Subscription subscription = subscriptions.remove(in.readLong());
        if (subscription != null) {
          subscription.cancelled();
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private void complete(long id, NodeLink.Reply reply) {
    CompletableFuture<NodeLink.Reply> waiting = requests.remove(id);
    if (waiting != null) {
      waiting.complete(reply);
    }
  }

  private void confirmed(PayloadReader in) {
    boolean ack = in.readByte() != 0;
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      Persistence.Synced waiting = publishes.remove(in.readLong());
      if (waiting == null) {
        continue;
      }
      if (ack) {
        waiting.synced();
        waiting.afterBatch();
      } else {
        waiting.failed();
      }
    }
  }

  /** Fails every request and publish and cancels every subscription: the link dropped. */
  void failAll() {
    requests.keySet().forEach(this::fail);
    publishes
        .keySet()
        .forEach(
            id -> {
              Persistence.Synced waiting = publishes.remove(id);
              if (waiting != null) {
                waiting.failed();
              }
            });
    subscriptions
        .keySet()
        .forEach(
            sub -> {
              NodeLink.Subscription subscription = subscriptions.remove(sub);
              if (subscription != null) {
                subscription.cancelled();
              }
            });
  }
}
