package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.Delivery;
import dev.warren.rar.adapter.tx.StoredXid;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The resource the container enlists around a transacted MDB delivery. The delivery's outcome
 * reaches the adapter only here — {@code afterDelivery} returns normally even after a rollback — so
 * commit acknowledges the message and rollback hands it back for redelivery.
 */
final class DeliveryXAResource implements XAResource {
  private final EndpointConsumer consumer;
  private final Map<StoredXid, Delivery> branches = new ConcurrentHashMap<>();
  private volatile Delivery next;

  DeliveryXAResource(EndpointConsumer consumer) {
    this.consumer = consumer;
  }

  /** The delivery about to start; the branch the container starts next is about it. */
  void expect(Delivery delivery) {
    next = delivery;
  }

  /**
   * Returns the expected delivery if the container never started a branch for it (it is then the
   * adapter's to settle), or null if a branch took it over.
   */
  Delivery takeUnclaimed() {
    Delivery unclaimed = next;
    next = null;
    return unclaimed;
  }

  @Override
  public void start(Xid xid, int flags) {
    Delivery delivery = next;
    if (delivery != null) {
      branches.put(StoredXid.of(xid), delivery);
      next = null;
    }
  }

  @Override
  public void end(Xid xid, int flags) {
    // the outcome comes with commit or rollback
  }

  /** An ack can always be made, so the vote is yes; a crash before commit redelivers anyway. */
  @Override
  public int prepare(Xid xid) {
    return XA_OK;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) {
    Delivery delivery = branches.remove(StoredXid.of(xid));
    if (delivery != null) {
      consumer.acknowledge(delivery);
    }
  }

  @Override
  public void rollback(Xid xid) {
    Delivery delivery = branches.remove(StoredXid.of(xid));
    if (delivery != null) {
      consumer.retryOrDeadLetter(delivery);
    }
  }

  @Override
  public void forget(Xid xid) {
    branches.remove(StoredXid.of(xid));
  }

  /** Unacknowledged deliveries are redelivered after a crash, so there is nothing to recover. */
  @Override
  public Xid[] recover(int flag) {
    return new Xid[0];
  }

  @Override
  public boolean isSameRM(XAResource other) {
    return other == this;
  }

  @Override
  public int getTransactionTimeout() {
    return 0;
  }

  @Override
  public boolean setTransactionTimeout(int seconds) {
    return false;
  }
}
