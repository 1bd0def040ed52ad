package dev.warren.rar.adapter.tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XA branch of an outbound connection: publishes made between start and end are held per
 * branch, saved to disk at prepare, routed (and confirmed) at commit and dropped at rollback. A
 * branch unknown in memory is looked up on disk, which is how recovery after a restart commits what
 * was prepared before the crash.
 */
public final class OutboundXAResource implements XAResource, TransactionBuffer {
  private static final System.Logger LOG = System.getLogger(OutboundXAResource.class.getName());

  private final PreparedBranches<List<PendingPublish>> prepared;
  private final Publisher publisher;
  private final InDoubtBranches deliveries;
  private final Map<StoredXid, List<PendingPublish>> branches = new ConcurrentHashMap<>();
  private volatile StoredXid current;

  /**
   * @param deliveries the MDB deliveries' prepared branches, which recovery completes through this
   *     resource too
   */
  public OutboundXAResource(
      PreparedBranches<List<PendingPublish>> prepared,
      Publisher publisher,
      InDoubtBranches deliveries) {
    this.prepared = prepared;
    this.publisher = publisher;
    this.deliveries = deliveries;
  }

  @Override
  public boolean hold(PendingPublish publish) {
    StoredXid xid = current;
    if (xid == null) {
      return false;
    }
    branches.computeIfAbsent(xid, k -> new ArrayList<>()).add(publish);
    return true;
  }

  @Override
  public void start(Xid xid, int flags) throws XAException {
    StoredXid key = StoredXid.of(xid);
    if (flags == TMNOFLAGS && branches.containsKey(key)) {
      throw new XAException(XAException.XAER_DUPID);
    }
    branches.computeIfAbsent(key, k -> new ArrayList<>());
    current = key;
  }

  @Override
  public void end(Xid xid, int flags) {
    current = null;
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    StoredXid key = StoredXid.of(xid);
    List<PendingPublish> publishes = branches.get(key);
    if (publishes == null) {
      throw new XAException(XAException.XAER_NOTA);
    }
    if (publishes.isEmpty()) {
      // nothing to commit: the transaction manager will not call commit for a read-only branch
      branches.remove(key);
      return XA_RDONLY;
    }
    try {
      prepared.save(key, new ArrayList<>(publishes));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "prepare of " + key + " failed", e);
      branches.remove(key);
      throw xaException(XAException.XAER_RMERR, e);
    }
    return XA_OK;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    StoredXid key = StoredXid.of(xid);
    List<PendingPublish> publishes = branches.remove(key);
    boolean wasPrepared = !onePhase;
    if (publishes == null) {
      publishes = prepared.load(key).orElse(null);
      if (publishes == null) {
        if (deliveries.commit(key)) {
          return;
        }
        throw new XAException(XAException.XAER_NOTA);
      }
      wasPrepared = true;
    }
    try {
      if (!publishes.isEmpty()) {
        publisher.publishAll(publishes);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "commit of " + key + " failed", e);
      // a prepared branch stays on disk for recovery to retry; a one-phase one is lost
      throw xaException(onePhase ? XAException.XA_RBROLLBACK : XAException.XAER_RMFAIL, e);
    }
    if (wasPrepared) {
      prepared.delete(key);
    }
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    StoredXid key = StoredXid.of(xid);
    branches.remove(key);
    prepared.delete(key);
    deliveries.rollback(key);
  }

  @Override
  public void forget(Xid xid) {
    StoredXid key = StoredXid.of(xid);
    branches.remove(key);
    prepared.delete(key);
    deliveries.forget(key);
  }

  @Override
  public Xid[] recover(int flag) {
    // the whole list at the start of a scan, nothing on the calls that continue it
    if ((flag & TMSTARTRSCAN) == 0 && flag != TMNOFLAGS) {
      return new Xid[0];
    }
    List<Xid> inDoubt = new ArrayList<>(prepared.list());
    inDoubt.addAll(deliveries.list());
    return inDoubt.toArray(Xid[]::new);
  }

  /** Branches of one connection cannot be joined into another's: each holds its own publishes. */
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

  private static XAException xaException(int code, Throwable cause) {
    XAException exception = new XAException(code);
    exception.initCause(cause);
    return exception;
  }
}
