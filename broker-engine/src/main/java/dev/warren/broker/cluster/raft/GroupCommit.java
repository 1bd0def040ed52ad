package dev.warren.broker.cluster.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Appends that arrive while earlier ones are on their way to a majority wait, then go together as
 * one log entry ({@link EntryBatch}): one Raft round and one fsync on each member for all of them,
 * instead of one each. This is the batching RabbitMQ's Ra gets from its write-ahead log; without it
 * a publisher with 100 confirms outstanding made 100 separate rounds. A few batches may be in
 * flight at once, so the log keeps working while the replies of the earlier ones come back; the
 * Raft client keeps them in order.
 */
final class GroupCommit {
  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_BATCH_BYTES = 1 << 20;

  private record Pending(byte[] entry, CompletableFuture<Void> appended) {}

  private final Function<byte[], CompletableFuture<?>> send;
  private final List<Pending> gathered = new ArrayList<>();
  private int inFlight;

  /**
   * @param send appends one log entry, completing once a majority has it
   */
  GroupCommit(Function<byte[], CompletableFuture<?>> send) {
    this.send = send;
  }

  CompletableFuture<Void> append(byte[] entry) {
    Pending pending = new Pending(entry, new CompletableFuture<>());
    List<Pending> batch = null;
    synchronized (this) {
      gathered.add(pending);
      if (inFlight < MAX_IN_FLIGHT) {
        batch = takeBatch();
      }
    }
    if (batch != null) {
      sendBatch(batch);
    }
    return pending.appended();
  }

  /** The oldest gathered entries, up to the size limit (at least one). Holds the lock. */
  private List<Pending> takeBatch() {
    List<Pending> batch = new ArrayList<>();
    int bytes = 0;
    while (!gathered.isEmpty()
        && (batch.isEmpty() || bytes + gathered.get(0).entry().length <= MAX_BATCH_BYTES)) {
      Pending next = gathered.remove(0);
      bytes += next.entry().length;
      batch.add(next);
    }
    inFlight++;
    return batch;
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
          List<Pending> next = null;
          synchronized (this) {
            inFlight--;
            if (!gathered.isEmpty()) {
              next = takeBatch();
            }
          }
          if (next != null) {
            sendBatch(next);
          }
        });
  }
}
