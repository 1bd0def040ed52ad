package dev.warren.broker.model;

import java.util.List;
import java.util.Map;

/**
 * What the model tells the durable store. Topology hooks are called under the virtual host's
 * topology lock and must only hand work off; {@link #store} and {@link #released} may be called on
 * any thread, including Netty event loops, so they never block on disk either. {@link #NONE} keeps
 * everything in memory.
 */
public interface Persistence {

  Persistence NONE = new Persistence() {};

  default void exchangeDeclared(String virtualHost, Exchange exchange) {}

  default void exchangeDeleted(String virtualHost, Exchange exchange) {}

  default void queueDeclared(String virtualHost, Queue queue) {}

  default void queueDeleted(String virtualHost, Queue queue) {}

  default void bound(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {}

  default void unbound(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {}

  /**
   * Writes a persistent message that was routed to {@code queues}, if any of them is stored.
   *
   * @return the message's store id, or 0 if nothing was written (the callback is then never run)
   */
  default long store(Message message, List<Queue> queues, Synced callback) {
    return 0;
  }

  /** A stored message left a queue for good (acknowledged, dropped, or its queue deleted). */
  default void released(Queue queue, long storeId) {}

  /**
   * The ready messages of a new queue (under construction): {@code inMemory} itself, or a
   * store-backed version that keeps only a bounded number of them in memory and pages the rest to
   * disk. A paged version may have nothing to hand out for a while although it is not empty (its
   * pages cannot be read just now); it calls the queue's {@link Queue#dispatch} when to try again.
   */
  default ReadyMessages pageable(Queue queue, ReadyMessages inMemory) {
    return inMemory;
  }

  /** Runs {@code callback} once everything handed to the store so far is on disk. */
  default void sync(Synced callback) {
    callback.synced();
    callback.afterBatch();
  }

  /**
   * Notified on the store's thread after an fsync: first {@link #synced} for every write of the
   * batch, then {@link #afterBatch} for each, so that a publisher can confirm a whole batch at
   * once. A message that every stored queue released before its fsync is notified (both calls) on
   * the thread that released it, possibly under that queue's lock: implementations only post.
   */
  interface Synced {
    void synced();

    default void afterBatch() {}

    /** The write could not be made durable (an I/O error); neither other method follows. */
    default void failed() {}
  }
}
