package dev.warren.broker.cluster.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Appends that arrive while earlier ones are on their way to a majority wait, then go together as
 * one log entry ({@link EntryBatch}): one Raft round and one fsync on each member for all of them,
 * instead of one each. This is the batching RabbitMQ's Ra gets from its write-ahead log; without it
 * a publisher with 100 confirms outstanding made 100 separate rounds. A few batches may be in
 * flight at once, so the log keeps working while the replies of the earlier ones come back; they
 * are handed to the Raft client in order, which keeps them so.
 */
final class GroupCommit {
  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_BATCH_BYTES = 1 << 20;

  private record Pending(byte[] entry, CompletableFuture<Void> appended) {}

  private final Function<byte[], CompletableFuture<?>> send;
  private final ArrayDeque<Pending> gathered = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param send appends one log entry, completing once a majority has it
   */
  GroupCommit(Function<byte[], CompletableFuture<?>> send) {
    this.send = send;
  }

  CompletableFuture<Void> append(byte[] entry) {
    Pending pending = new Pending(entry, new CompletableFuture<>());
    Sent sent = null;
    synchronized (this) {
      gathered.add(pending);
      if (inFlight < MAX_IN_FLIGHT) {
        sent = sendBatch();
      }
    }
    if (sent != null) {
      whenAppended(sent);
    }
    return pending.appended();
  }

  /** A batch handed to the log, and the log's answer to come. */
  private record Sent(List<Pending> batch, CompletableFuture<?> reply) {}

  /**
   * Sends the oldest gathered entries, up to the size limit (at least one), as one log entry. Holds
   * the lock, so that batches reach the log in the order they were taken: a publisher's messages
   * stay in its order even when a batch is sent by the thread that saw the previous one complete.
   */
  private Sent sendBatch() {
    List<Pending> batch = new ArrayList<>();
    int bytes = 0;
    while (!gathered.isEmpty()
        && (batch.isEmpty() || bytes + gathered.peekFirst().entry().length <= MAX_BATCH_BYTES)) {
      Pending next = gathered.pollFirst();
      bytes += next.entry().length;
      batch.add(next);
    }
    inFlight++;
    List<byte[]> entries = new ArrayList<>(batch.size());
    batch.forEach(pending -> entries.add(pending.entry()));
    CompletableFuture<?> reply;
    try {
      reply = send.apply(EntryBatch.frame(entries));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return new Sent(batch, reply);
  }

  /** Outside the lock: the answer may come at once, on this thread. */
  private void whenAppended(Sent sent) {
    sent.reply()
        .whenComplete(
            (reply, failure) -> {
              for (Pending pending : sent.batch()) {
                if (failure == null) {
                  pending.appended().complete(null);
                } else {
                  pending.appended().completeExceptionally(failure);
                }
              }
              Sent next = null;
              synchronized (this) {
                inFlight--;
                if (!gathered.isEmpty()) {
                  next = sendBatch();
                }
              }
              if (next != null) {
                whenAppended(next);
              }
            });
  }
}
