package dev.warren.broker.cluster.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Appends that arrive while earlier ones are on their way to a majority wait, then go together as
 * one log entry ({@link EntryBatch}): one Raft round and one fsync on each member for all of them,
 * instead of one each. This is the batching RabbitMQ's Ra gets from its write-ahead log; without it
 * a publisher with 100 confirms outstanding made 100 separate rounds. One batch per node is in
 * flight at a time: a follower appends Raft entries one after the other, each written and forced
 * before the next, so more entries in flight only waited there, and smaller ones meant more rounds
 * and more forces; with 4 in flight a three-node cluster confirmed 1.5 times fewer messages a
 * second (see docs/cluster.md, Measurements).
 *
 * <p>Batches reach the Raft client in the order they were taken, so a publisher's appends reach the
 * log in its order: each is handed, under the lock that takes it, to one sending thread. The thread
 * that takes a batch does not send it itself, since a batch taken by an earlier one's completion
 * could then overtake one a publishing thread took a moment before; and nothing is sent under the
 * lock, since the Raft client's reply threads complete batches while holding its own.
 */
final class GroupCommit {
  static final int MAX_IN_FLIGHT = 1;
  static final int MAX_BATCH_BYTES = 1 << 20;

  private record Pending(byte[] entry, CompletableFuture<Void> appended) {}

  private final Function<byte[], CompletableFuture<?>> send;
  private final Executor sender;
  private final int maxInFlight;
  private final List<Pending> gathered = new ArrayList<>();
  private int inFlight;

  /**
   * @param send appends one log entry, completing once a majority has it
   * @param sender runs the sends one at a time, in the order they were given (one thread)
   */
  GroupCommit(Function<byte[], CompletableFuture<?>> send, Executor sender) {
    this(send, sender, MAX_IN_FLIGHT);
  }

  /** With up to {@code maxInFlight} batches on their way at once, still sent in order. */
  GroupCommit(Function<byte[], CompletableFuture<?>> send, Executor sender, int maxInFlight) {
    this.send = send;
    this.sender = sender;
    this.maxInFlight = maxInFlight;
  }

  CompletableFuture<Void> append(byte[] entry) {
    Pending pending = new Pending(entry, new CompletableFuture<>());
    synchronized (this) {
      gathered.add(pending);
      if (inFlight < maxInFlight) {
        sendNext();
      }
    }
    return pending.appended();
  }

  /**
   * Takes the oldest gathered entries, up to the size limit (at least one), and queues them for the
   * sending thread. Holds the lock, so batches are queued in the order they are taken.
   */
  private void sendNext() {
    List<Pending> batch = new ArrayList<>();
    int bytes = 0;
    while (!gathered.isEmpty()
        && (batch.isEmpty() || bytes + gathered.get(0).entry().length <= MAX_BATCH_BYTES)) {
      Pending next = gathered.remove(0);
      bytes += next.entry().length;
      batch.add(next);
    }
    inFlight++;
    try {
      sender.execute(() -> sendBatch(batch));
    } catch (RejectedExecutionException closed) {
      inFlight--; // the log is closing
      batch.forEach(pending -> pending.appended().completeExceptionally(closed));
    }
  }

  private void sendBatch(List<Pending> batch) {
    List<byte[]> entries = new ArrayList<>(batch.size());
    batch.forEach(pending -> entries.add(pending.entry()));
    CompletableFuture<?> sent;
    try {
      sent = send.apply(EntryBatch.frame(entries));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (reply, failure) -> {
          for (Pending pending : batch) {
            if (failure == null) {
              pending.appended().complete(null);
            } else {
              pending.appended().completeExceptionally(failure);
            }
          }
          synchronized (this) {
            inFlight--;
            if (!gathered.isEmpty()) {
              sendNext();
            }
          }
        });
  }
}
