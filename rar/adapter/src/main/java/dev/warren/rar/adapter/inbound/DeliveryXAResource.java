package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.rar.adapter.inbound.EndpointConsumer.Received;
import dev.warren.rar.adapter.tx.StoredXid;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The resource the container enlists around a transacted MDB delivery. The delivery's outcome
 * reaches the adapter only here — {@code afterDelivery} returns normally even after a rollback — so
 * commit acknowledges the message and rollback hands it back for redelivery. In a two-phase commit,
 * prepare records the branch and its message's store id on disk ({@link PreparedDeliveries}), so
 * that after a crash the message is held back until the transaction manager decides.
 */
final class DeliveryXAResource implements XAResource {
  private final EndpointConsumer consumer;
  private final PreparedDeliveries prepared;
  private final Map<StoredXid, Received> branches = new ConcurrentHashMap<>();
  private volatile Received next;
  private volatile Received failed;

  DeliveryXAResource(EndpointConsumer consumer, PreparedDeliveries prepared) {
    this.consumer = consumer;
    this.prepared = prepared;
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

  /**
   * The listener threw on this delivery: its branch rolls back even if the container commits the
   * transaction. WildFly commits it when it refused the call itself, as it does from the moment its
   * MDB component starts shutting down until it deactivates the endpoint: the refusal comes before
   * its transaction interceptor, so nothing marks the transaction rollback-only, and an ack would
   * drop a message that nobody processed.
   */
  void failed(Received delivery) {
    failed = delivery;
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

  /**
   * An ack can always be made, so the vote is yes, once the branch is on disk: then a crash before
   * the ack is on disk leaves the message held, not redelivered, until the transaction manager's
   * recovery decides. A message that a restart would not recover anyway (transient, in a transient
   * or quorum queue) needs no record.
   */
  @Override
  public int prepare(Xid xid) throws XAException {
    StoredXid key = StoredXid.of(xid);
    Received delivery = branches.get(key);
    if (delivery == null) {
      return XA_OK;
    }
    if (delivery == failed) {
      throw rolledBack(key, delivery); // votes no: the transaction's other work goes too
    }
    Optional<StoredMessageId> stored = consumer.storedId(delivery);
    if (stored.isPresent()) {
      try {
        prepared.prepared(
            key, PreparedDelivery.of(stored.get(), delivery.delivery().redelivered()), this);
      } catch (RuntimeException e) {
        XAException failure = new XAException(XAException.XAER_RMERR);
        failure.initCause(e);
        throw failure;
      }
    }
    return XA_OK;
  }

  /**
   * Acknowledges the delivery. After a prepare the transaction manager forgets the branch once this
   * returns, and the other branches (a database row) may already be committed: the ack must then be
   * on disk, or a crash would redeliver a message whose work is done.
   */
  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    StoredXid key = StoredXid.of(xid);
    Received delivery = branches.remove(key);
    if (delivery == null) {
      prepared.commit(key); // a branch prepared before a restart, if it is one
      return;
    }
    if (delivery == failed) {
      throw rolledBack(key, delivery); // only a one-phase commit can come here (see prepare)
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
    prepared.decided(key); // the ack is on disk: the record can go
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    StoredXid key = StoredXid.of(xid);
    Received delivery = branches.remove(key);
    if (delivery == null) {
      prepared.rollback(key);
      return;
    }
    consumer.retryOrDeadLetter(delivery);
    prepared.decided(key);
  }

  /**
   * Settles the failed delivery as {@link #rollback} would; the exception tells the transaction
   * manager that the branch rolled back.
   */
  private XAException rolledBack(StoredXid key, Received delivery) {
    branches.remove(key);
    failed = null;
    consumer.retryOrDeadLetter(delivery);
    return new XAException(XAException.XA_RBROLLBACK);
  }

  @Override
  public void forget(Xid xid) {
    StoredXid key = StoredXid.of(xid);
    branches.remove(key);
    prepared.forget(key);
  }

  /** The branches prepared and not decided, this run's and those found on disk at start. */
  @Override
  public Xid[] recover(int flag) {
    if ((flag & TMSTARTRSCAN) == 0 && flag != TMNOFLAGS) {
      return new Xid[0];
    }
    return prepared.list().toArray(Xid[]::new);
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
