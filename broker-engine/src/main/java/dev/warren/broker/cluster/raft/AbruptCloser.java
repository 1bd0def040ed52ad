package dev.warren.broker.cluster.raft;

import dev.warren.broker.concurrent.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Closes Ratis connections off the caller's thread and without grace. Ratis closes a gRPC channel
 * gracefully, letting its calls finish for up to 3 s, unless the closing thread is interrupted; the
 * calls on a connection being dropped here are the ones that will never finish (stuck in TCP's
 * backoff, or waiting on a leader that lost the majority), so each close runs interrupted and they
 * are cancelled at once, to be retried elsewhere. Each close has a thread of its own, so that one
 * wait does not hold up another.
 */
final class AbruptCloser implements AutoCloseable {
  private final ExecutorService threads = DaemonThreads.cached("warren-raft-close");

  /** Runs {@code closing} interrupted, unless the node is stopping. */
  void close(Runnable closing) {
    try {
      threads.execute(
          () -> {
            Thread.currentThread().interrupt();
            try {
              closing.run();
            } finally {
              Thread.interrupted();
            }
          });
    } catch (RejectedExecutionException stopping) {
      // the node is stopping: its connections go with it
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
