package dev.warren.broker.forward;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.metrics.QueueCounters;
import dev.warren.broker.model.Consumer;
import dev.warren.broker.model.DeclaredQueue;
import dev.warren.broker.model.HomeNode;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.QueueArguments;
import dev.warren.broker.model.QueueEntry;
import dev.warren.broker.model.QueuePolicy;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A classic queue that lives on another node of the cluster (the node whose client declared it), as
 * this node's channels and exchanges see it. It keeps no messages: publishes, consumers, basic.get,
 * settlements, purges and counts go to the owner over the {@link NodeLink}. While the owner cannot
 * be reached each of them fails at once with RabbitMQ's 404 "home node ... is down or inaccessible"
 * (a publish is nacked), and this node's consumers of it are cancelled.
 */
final class RemoteQueue extends DeclaredQueue {
  private static final System.Logger LOG = System.getLogger(RemoteQueue.class.getName());

  /** Subscription numbers, unique on this node (so on every link). */
  private static final AtomicLong SUBSCRIPTIONS = new AtomicLong();

  private volatile QueueArguments effective;
  private final NodeLink link;
  private final QueueCounters counters = new QueueCounters();
  private final Map<Consumer, RemoteConsumer> consumers = new ConcurrentHashMap<>();

  /**
   * How old the counts a listing shows may be before it asks the owner again: RabbitMQ's queues
   * report their statistics every 5 s.
   */
  private static final long COUNTS_FRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The owner's counts as last heard (declare-ok, purge-ok and get-ok answers, listings). */
  private volatile int messages;

  private volatile int consumerCount;
  private volatile long countsHeardAt = System.nanoTime() - COUNTS_FRESH_NANOS;
  private final AtomicBoolean askingCounts = new AtomicBoolean();
  private volatile boolean deleted;

  RemoteQueue(
      String name,
      String virtualHost,
      boolean durable,
      boolean autoDelete,
      Object exclusiveOwner,
      Map<String, Object> arguments,
      String homeNode,
      NodeLink link) {
    super(name, virtualHost, durable, autoDelete, exclusiveOwner, arguments, homeNode);
    this.effective = parsedArguments();
    this.link = link;
  }

  @Override
  public QueueArguments effectiveArguments() {
    return effective;
  }

  /** Shown in listings; the owner applies the policy to the messages. */
  @Override
  public void applyPolicy(Map<String, Object> definition) {
    effective = QueuePolicy.resolve(parsedArguments(), definition, false);
  }

  @Override
  public boolean home() {
    return false;
  }

  @Override
  public void touch() {
    // every forwarded operation uses the queue on its owner, which restarts its x-expires there
  }

  @Override
  public QueueCounters counters() {
    return counters;
  }

  // --- messages

  @Override
  public boolean keptElsewhere() {
    return true;
  }

  @Override
  public boolean enqueue(Message message) {
    enqueue(message, () -> {});
    return true;
  }

  /** Nacked if the owner is down, as RabbitMQ rejects what it sent to a queue whose node died. */
  @Override
  public void enqueue(Message message, Persistence.Synced confirmation) {
    link.publish(virtualHost(), List.of(name()), message, confirmation);
  }

  @Override
  public Optional<HomeNode> forwardedTo() {
    return Optional.of(link);
  }

  @Override
  public Taken take(boolean noAck) {
    return BrokerChannel.join(takeAsync(noAck));
  }

  @Override
  public CompletionStage<Taken> takeAsync(boolean noAck) {
    return owner(link.get(virtualHost(), name(), noAck))
        .thenApply(
            reply -> {
              NodeLink.Got got = reply.got();
              if (got == null) {
                return null;
              }
              messages = got.remaining();
              return new Taken(
                  QueueEntry.delivered(got.message(), got.tag(), got.redelivered()),
                  got.remaining());
            });
  }

  @Override
  public void settle(QueueEntry entry, Consumer consumer, Settlement settlement) {
    byte kind =
        switch (settlement) {
          case ACK -> LinkFrames.ACK;
          case REQUEUE -> LinkFrames.REQUEUE;
          case DISCARD -> LinkFrames.DISCARD;
          case RELEASE -> LinkFrames.PUT_BACK;
        };
    if (consumer == null) {
      link.settle(virtualHost(), 0, entry.sequence(), kind);
      return;
    }
    RemoteConsumer remote = consumers.get(consumer);
    if (remote != null) {
      link.settle(virtualHost(), remote.sub, entry.sequence(), kind);
      remote.settled();
    }
  }

  @Override
  public int purge() {
    return BrokerChannel.join(purgeAsync());
  }

  @Override
  public CompletionStage<Integer> purgeAsync() {
    return owner(link.purge(virtualHost(), name()))
        .thenApply(
            reply -> {
              messages = 0;
              return (int) reply.first();
            });
  }

  @Override
  public CompletionStage<Counts> countsAsync() {
    return owner(link.count(virtualHost(), name()))
        .thenApply(
            reply -> {
              messages = (int) reply.first();
              consumerCount = (int) reply.second();
              countsHeardAt = System.nanoTime();
              return new Counts(messages, consumerCount);
            });
  }

  @Override
  public CompletionStage<Integer> deleteOnHomeNode(boolean ifUnused, boolean ifEmpty) {
    return owner(link.delete(virtualHost(), name(), ifUnused, ifEmpty))
        .thenApply(reply -> (int) reply.first());
  }

  @Override
  public void released(QueueEntry entry) {
    // a message taken without acknowledgement was settled on the owner when it was taken
  }

  @Override
  public void restore(Message message) {
    throw new UnsupportedOperationException("queue " + name() + " is stored on " + homeNode());
  }

  @Override
  public int messageCount() {
    return messages;
  }

  @Override
  public int consumerCount() {
    return consumerCount;
  }

  /**
   * The counts last heard from the owner. Older than {@link #COUNTS_FRESH_NANOS}, they are asked
   * for again in the background: a listing (the management API's, polled by its UI every 5 s) shows
   * the owner's counts as of its previous look, as RabbitMQ's shows those of the last report, and a
   * queue nobody lists costs the owner nothing.
   */
  @Override
  public Stats stats() {
    if (System.nanoTime() - countsHeardAt > COUNTS_FRESH_NANOS
        && link.up()
        && askingCounts.compareAndSet(false, true)) {
      countsAsync().whenComplete((counts, failure) -> askingCounts.set(false));
    }
    return new Stats(messages, 0, consumerCount, null, null, 0);
  }

  @Override
  public boolean isActive(Consumer consumer) {
    return true;
  }

  // --- consumers

  @Override
  public void addConsumer(Consumer consumer) {
    BrokerChannel.join(addConsumerAsync(consumer));
  }

  /**
   * Registers the consumer on the owner and completes with its answer, so that a refusal there (an
   * exclusive consumer, the queue gone) is the client's channel error, as on the owner itself. Once
   * registered, the link dropping cancels it here with basic.cancel, as RabbitMQ cancels the
   * consumers of a queue whose node went down.
   */
  @Override
  public CompletionStage<Void> addConsumerAsync(Consumer consumer) {
    if (deleted) {
      throw Rejections.noQueue(virtualHost(), name());
    }
    if (!link.up()) {
      throw Rejections.homeNodeDown(virtualHost(), name(), homeNode());
    }
    RemoteConsumer remote = new RemoteConsumer(SUBSCRIPTIONS.incrementAndGet(), consumer);
    consumers.put(consumer, remote);
    return owner(
            link.consume(
                virtualHost(),
                name(),
                remote.sub,
                remote,
                consumer.prefetch(),
                consumer.noAck(),
                consumer.exclusive(),
                consumer.arguments()))
        .whenComplete(
            (registered, failure) -> {
              if (failure != null && consumers.remove(consumer, remote)) {
                link.release(remote.sub); // in case the owner registered it after our deadline
              }
            })
        .thenApply(registered -> null);
  }

  /** The client's channel closed: what it held went back already. */
  @Override
  public boolean removeConsumer(Consumer consumer) {
    RemoteConsumer remote = consumers.get(consumer);
    if (remote != null) {
      remote.stop();
    }
    return false; // an auto-delete queue deletes itself on its owner
  }

  /** basic.cancel: completes once the owner cancelled it, so no delivery follows cancel-ok. */
  @Override
  public CompletionStage<Boolean> removeConsumerAsync(Consumer consumer) {
    RemoteConsumer remote = consumers.get(consumer);
    return remote == null ? CompletableFuture.completedFuture(false) : remote.cancel();
  }

  @Override
  public void dispatch() {
    // the owner dispatches
  }

  // --- lifecycle (the metadata log decided; the owner deletes its queue as it applies the entry)

  @Override
  public Deletion delete(boolean ifUnused, boolean ifEmpty) {
    deleted = true;
    List<Consumer> cancelled = new ArrayList<>();
    for (RemoteConsumer remote : List.copyOf(consumers.values())) {
      if (!remote.cancelled) {
        cancelled.add(remote.consumer);
      }
      remote.cancelled = true;
      link.release(remote.sub);
      consumers.remove(remote.consumer);
    }
    return new Deletion(messages, cancelled);
  }

  @Override
  public Deletion deleteIfAbandoned() {
    return null;
  }

  @Override
  public Deletion deleteIfExpired() {
    return null;
  }

  /** Fails a request with RabbitMQ's text if the owner could not be reached. */
  private <T> CompletionStage<T> owner(CompletableFuture<T> request) {
    return request.exceptionallyCompose(
        failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          return CompletableFuture.failedFuture(
              cause instanceof NodeLink.LinkDown
                  ? Rejections.homeNodeDown(virtualHost(), name(), homeNode())
                  : cause);
        });
  }

  /**
   * One of this node's consumers, subscribed on the owner. It counts what it holds unsettled, so
   * that after a basic.cancel its channel on the owner is closed only once those are settled (a
   * client may still acknowledge them).
   */
  private final class RemoteConsumer implements NodeLink.Subscription {
    final long sub;
    final Consumer consumer;
    final AtomicInteger unsettled = new AtomicInteger();
    volatile boolean cancelled;

    RemoteConsumer(long sub, Consumer consumer) {
      this.sub = sub;
      this.consumer = consumer;
    }

    @Override
    public void delivered(long tag, boolean redelivered, Message message) {
      if (cancelled) {
        return; // still held on the owner: it goes back when the channel there is released
      }
      if (!consumer.noAck()) {
        unsettled.incrementAndGet();
      }
      if (consumer.target().deliver(consumer, QueueEntry.delivered(message, tag, redelivered))) {
        consumer.target().flush();
      } else if (!consumer.noAck()) {
        link.settle(virtualHost(), sub, tag, LinkFrames.REQUEUE); // the channel closed meanwhile
        settled();
      }
    }

    /** The owner cancelled it (its queue was deleted), or the link dropped. */
    @Override
    public void cancelled() {
      if (!cancelled) {
        cancelled = true;
        consumer.target().cancelledByBroker(consumer);
      }
      releaseIfSettled();
    }

    /**
     * basic.cancel by the client: the owner cancels it and sends what it delivered before, which
     * still reaches the client ahead of cancel-ok. Its channel there stays while the client holds
     * unsettled messages (it may still acknowledge them).
     */
    CompletionStage<Boolean> cancel() {
      return link.cancel(sub)
          .handle(
              (done, failure) -> {
                cancelled = true;
                releaseIfSettled();
                return false;
              });
    }

    /** Its channel here closed (what it held was requeued first): nothing more to wait for. */
    void stop() {
      cancelled = true;
      if (unsettled.get() > 0) {
        link.cancel(sub);
      }
      releaseIfSettled();
    }

    void settled() {
      if (!consumer.noAck()) {
        unsettled.decrementAndGet();
      }
      releaseIfSettled();
    }

    private void releaseIfSettled() {
      if (cancelled && unsettled.get() <= 0 && consumers.remove(consumer, this)) {
        link.release(sub);
      }
    }
  }

  @Override
  public String toString() {
    return "queue '" + name() + "' in vhost '" + virtualHost() + "' on " + homeNode();
  }
}
