package dev.warren.broker.engine;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Rejections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waits until what was handed to the store so far is on disk, for in-VM callers that must. */
final class StoreBarrier {
  private StoreBarrier() {}

  /**
   * @throws BrokerException INTERNAL_ERROR (541) if the store could not write it
   */
  static void await(Persistence persistence) {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    persistence.sync(
        new Persistence.Synced() {
          @Override
          public void synced() {
            stored.complete(null);
          }

          @Override
          public void failed() {
            stored.completeExceptionally(Rejections.transactionNotStored());
          }
        });
    try {
      stored.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof BrokerException refused ? refused : e;
    }
  }
}
