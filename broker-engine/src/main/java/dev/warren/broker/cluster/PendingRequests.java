package dev.warren.broker.cluster;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The requests this node put in a log and waits to see applied: each gets a number that goes into
 * its entry, and its outcome completes when this node applies the entry with that number (once,
 * even if a retried append put it in twice), or fails if the log would not take it.
 */
final class PendingRequests {
  private static final System.Logger LOG = System.getLogger(PendingRequests.class.getName());

  private final String node;
  private final AtomicLong requests = new AtomicLong();
  private final Map<Long, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();

  PendingRequests(String node) {
    this.node = node;
  }

  /**
   * Appends the entry made for a new request number.
   *
   * @param refusal what the outcome fails with if the append fails (no majority in time)
   */
  CompletableFuture<Object> append(
      ReplicatedLog log, LongFunction<byte[]> entry, Supplier<RuntimeException> refusal) {
    long request = requests.incrementAndGet();
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    waiting.put(request, outcome);
    log.append(entry.apply(request))
        .whenComplete(
            (appended, failure) -> {
              if (failure != null && waiting.remove(request) != null) {
                RuntimeException refused = refusal.get();
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Cluster: {0}: {1}",
                    refused.getMessage(),
                    failure.toString());
                outcome.completeExceptionally(refused);
              }
            });
    return outcome;
  }

  /** The outcome an applied entry answers, or null if another node asked for it (or answered). */
  CompletableFuture<Object> take(String origin, long request) {
    return origin.equals(node) ? waiting.remove(request) : null;
  }
}
