package dev.warren.broker.engine;

import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Rejections;
import java.util.concurrent.CompletableFuture;

/**
 * When a transaction's commit may be answered: once the store has written its persistent publishes
 * and its acks, that is once a sync asked for after them is done. The publishes report a failed
 * write here, so that the sync's success (it covers only what is still pending) does not hide it.
 */
final class CommitDurability {
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean writeFailed;

  /** Passed along with each routed publish; the store calls it for a stored copy. */
  final Persistence.Synced publishes =
      new Persistence.Synced() {
        @Override
        public void synced() {
          // the sync that follows answers for it
        }

        @Override
        public void failed() {
          writeFailed = true;
        }
      };

  /** Asks the store for the sync behind every write so far; the stage completes after it. */
  CompletableFuture<Void> await(Persistence persistence) {
    persistence.sync(
        new Persistence.Synced() {
          @Override
          public void synced() {
            // A failed write is reported before any later sync completes: the store handles its
            // commands in order.
            if (writeFailed) {
              failed();
            } else {
              done.complete(null);
            }
          }

          @Override
          public void failed() {
            done.completeExceptionally(Rejections.transactionNotStored());
          }
        });
    return done;
  }
}
