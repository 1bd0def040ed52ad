package dev.warren.broker.model;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One publisher confirm waiting for several parts: the store's write of a persistent message and
 * each replicated queue's log. The confirm goes out when the last part is done, or at once as a
 * nack when a part fails.
 */
public final class JoinedConfirmation implements Persistence.Synced {
  private final Persistence.Synced target;
  private final AtomicInteger parts;
  private volatile boolean failed;

  public JoinedConfirmation(Persistence.Synced target, int parts) {
    this.target = target;
    this.parts = new AtomicInteger(parts);
  }

  @Override
  public void synced() {
    // the store reports the whole batch first; the part is done in afterBatch
  }

  @Override
  public void afterBatch() {
    partDone();
  }

  /** One part is durable. */
  public void partDone() {
    if (parts.decrementAndGet() == 0 && !failed) {
      target.synced();
      target.afterBatch();
    }
  }

  @Override
  public void failed() {
    if (!failed) {
      failed = true;
      target.failed();
    }
  }
}
