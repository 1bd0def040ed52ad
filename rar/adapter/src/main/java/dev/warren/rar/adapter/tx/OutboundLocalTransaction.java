package dev.warren.rar.adapter.tx;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import java.util.ArrayList;
import java.util.List;

/** A resource-local transaction: publishes between begin and commit are routed at commit. */
public final class OutboundLocalTransaction implements LocalTransaction, TransactionBuffer {
  private final Publisher publisher;
  private List<PendingPublish> held;

  public OutboundLocalTransaction(Publisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public synchronized boolean hold(PendingPublish publish) {
    if (held == null) {
      return false;
    }
    held.add(publish);
    return true;
  }

  @Override
  public synchronized void begin() throws ResourceException {
    if (held != null) {
      throw new ResourceException("a local transaction is already active");
    }
    held = new ArrayList<>();
  }

  @Override
  public void commit() throws ResourceException {
    List<PendingPublish> publishes = take();
    try {
      publisher.publishAll(publishes);
    } catch (RuntimeException e) {
      throw new ResourceException("commit failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void rollback() throws ResourceException {
    take();
  }

  private synchronized List<PendingPublish> take() throws ResourceException {
    if (held == null) {
      throw new ResourceException("no local transaction is active");
    }
    List<PendingPublish> publishes = held;
    held = null;
    return publishes;
  }
}
