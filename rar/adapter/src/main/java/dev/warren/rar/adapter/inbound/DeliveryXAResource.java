package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.rar.adapter.inbound.EndpointConsumer.Received;
import dev.warren.rar.adapter.tx.StoredXid;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The resource the container enlists around a transacted MDB delivery. The delivery's outcome
 * reaches the adapter only here — {@code afterDelivery} returns normally even after a rollback — so
 * commit acknowledges the message and rollback hands it back for redelivery.
 */
final class DeliveryXAResource implements XAResource {
  private final EndpointConsumer consumer;
  private final Map<StoredXid, Received> branches = new ConcurrentHashMap<>();
  private volatile Received next;

  DeliveryXAResource(EndpointConsumer consumer) {
    this.consumer = consumer;
  }

  /** The delivery about to start; the branch the container starts next is about it. */
  void expect(Received delivery) {
    next = delivery;
  }

  /**
   * Returns the expected delivery if the container never started a branch for it (it is then the
   * adapter's to settle), or null if a branch took it over.
   */
  Received takeUnclaimed() {
    Received unclaimed = next;
    next = null;
    return unclaimed;
  }

  @Override
  public void start(Xid xid, int flags) {
    Received delivery = next;
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

  /**
   * Acknowledges the delivery. After a prepare the transaction manager forgets the branch once this
   * returns, and the other branches (a database row) may already be committed: the ack must then be
   * on disk, or a crash would redeliver a message whose work is done.
   */
  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    Received delivery = branches.remove(StoredXid.of(xid));
    if (delivery == null) {
      return;
    }
    if (onePhase) {
      consumer.acknowledgeCommitted(delivery);
      return;
    }
    try {
      consumer.acknowledgeStored(delivery);
    } catch (BrokerException e) {
      XAException failure = new XAException(XAException.XAER_RMFAIL);
      failure.initCause(e);
      throw failure;
    }
  }

  @Override
  public void rollback(Xid xid) {
    Received delivery = branches.remove(StoredXid.of(xid));
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
