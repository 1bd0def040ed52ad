package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.HeldMessage;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.rar.adapter.MessageConversion;
import dev.warren.rar.adapter.tx.InDoubtBranches;
import dev.warren.rar.adapter.tx.PendingPublish;
import dev.warren.rar.adapter.tx.PreparedBranches;
import dev.warren.rar.adapter.tx.Publisher;
import dev.warren.rar.adapter.tx.StoredXid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * The prepared branches of transacted MDB deliveries, kept beside the outbound ones (files ending
 * in {@code .delivery}). A delivery's prepare records where its message is stored before it votes;
 * after a crash the embedded engine holds those messages back from every consumer ({@link
 * #toHold}), and the transaction manager's recovery decides each one here: commit acknowledges the
 * held message (on disk), rollback puts a retry copy in its queue as a live rollback does. A branch
 * whose message is gone (acknowledged before the crash, its queue deleted) is forgotten by either.
 * A branch still live in this run is decided by its delivery's own resource.
 */
public final class PreparedDeliveries implements InDoubtBranches {
  private static final System.Logger LOG = System.getLogger(PreparedDeliveries.class.getName());

  private final PreparedBranches<PreparedDelivery> branches;
  private final Map<StoredXid, DeliveryXAResource> live = new ConcurrentHashMap<>();
  private volatile Broker broker; // null: no engine holds anything (remote mode)
  private volatile Publisher retries;

  public PreparedDeliveries(Path directory) {
    this.branches = new PreparedBranches<>(directory, ".delivery");
  }

  /** Before the engine starts: the messages of the branches prepared in an earlier run. */
  public List<StoredMessageId> toHold() {
    return branches.list().stream()
        .map(branches::load)
        .flatMap(Optional::stream)
        .filter(branch -> !branch.gone())
        .map(PreparedDelivery::id)
        .toList();
  }

  /**
   * Once the embedded engine runs: logs each held message (it stays held, across restarts too,
   * until a transaction manager decides), and marks the branches whose message was not recovered as
   * gone, since a later run may give its store id to another message.
   *
   * @param retries publishes the retry copy of a message whose branch is rolled back
   */
  public void attach(Broker broker, Publisher retries) {
    this.broker = broker;
    this.retries = retries;
    List<StoredMessageId> held = broker.heldMessages().stream().map(HeldMessage::id).toList();
    for (Xid xid : branches.list()) {
      PreparedDelivery branch = branches.load(xid).orElse(null);
      if (branch == null || branch.gone()) {
        continue;
      }
      if (held.contains(branch.id())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Message {0} of queue ''{1}'' in virtual host ''{2}'' is held back from consumers for"
                + " the prepared transaction branch {3} until a transaction manager commits or"
                + " rolls it back",
            String.valueOf(branch.storeId()),
            branch.queue(),
            branch.virtualHost(),
            xid);
      } else {
        LOG.log(
            System.Logger.Level.INFO,
            "The message of the prepared transaction branch {0} (queue ''{1}'') was not recovered;"
                + " the branch is forgotten once the transaction manager decides it",
            xid,
            branch.queue());
        branches.save(xid, branch.asGone());
      }
    }
  }

  /** A delivery's prepare: the branch is on disk when this returns. */
  void prepared(StoredXid xid, PreparedDelivery branch, DeliveryXAResource resource) {
    branches.save(xid, branch);
    live.put(xid, resource);
  }

  /** A delivery's branch was decided (its ack on disk, or its retry made): the record goes. */
  void decided(StoredXid xid) {
    live.remove(xid);
    branches.delete(xid);
  }

  @Override
  public List<Xid> list() {
    return branches.list();
  }

  @Override
  public boolean commit(Xid xid) throws XAException {
    return decide(xid, true);
  }

  @Override
  public boolean rollback(Xid xid) throws XAException {
    return decide(xid, false);
  }

  /**
   * Commits or rolls back a branch: through its delivery's resource while that is live, else on the
   * held message, if any; false for a branch this adapter does not know.
   */
  private boolean decide(Xid xid, boolean commit) throws XAException {
    StoredXid key = StoredXid.of(xid);
    DeliveryXAResource resource = live.remove(key);
    if (resource != null) {
      if (commit) {
        resource.commit(key, false);
      } else {
        resource.rollback(key);
      }
      return true;
    }
    PreparedDelivery branch = branches.load(key).orElse(null);
    if (branch == null) {
      return false;
    }
    Optional<HeldMessage> held = held(branch);
    if (held.isEmpty()) {
      logGone(key, commit ? "commit" : "rollback");
    } else if (commit) {
      acknowledge(branch);
      LOG.log(System.Logger.Level.INFO, "Prepared delivery branch {0} committed", key);
    } else {
      deliverAgain(held.get(), branch);
      LOG.log(
          System.Logger.Level.INFO,
          "Prepared delivery branch {0} rolled back; its message is delivered again",
          key);
    }
    branches.delete(key);
    return true;
  }

  private void acknowledge(PreparedDelivery branch) throws XAException {
    try {
      broker.acknowledgeHeld(branch.id());
    } catch (BrokerException e) {
      throw failure(e);
    }
  }

  /** As a live rollback: a retry copy goes into the queue, and the held original goes. */
  private void deliverAgain(HeldMessage message, PreparedDelivery branch) throws XAException {
    try {
      retries.publishAll(List.of(retryCopy(message, branch)));
      broker.acknowledgeHeld(branch.id());
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public boolean forget(Xid xid) {
    StoredXid key = StoredXid.of(xid);
    live.remove(key);
    boolean known = branches.load(key).isPresent();
    branches.delete(key);
    return known;
  }

  private Optional<HeldMessage> held(PreparedDelivery branch) {
    Broker engine = broker;
    if (engine == null || branch.gone()) {
      return Optional.empty();
    }
    return engine.heldMessages().stream().filter(m -> m.id().equals(branch.id())).findFirst();
  }

  /** The copy a live rollback publishes: the delivery count raised, back into its queue. */
  private static PendingPublish retryCopy(HeldMessage message, PreparedDelivery branch) {
    Delivery delivery =
        new Delivery(
            "",
            0,
            branch.redelivered(),
            message.exchange(),
            message.routingKey(),
            message.properties(),
            message.body());
    return new PendingPublish(
        "",
        branch.queue(),
        MessageConversion.toApi(DeliveryHeaders.forRetry(delivery)),
        message.body());
  }

  private static void logGone(StoredXid xid, String decision) {
    LOG.log(
        System.Logger.Level.INFO,
        "Prepared delivery branch {0}: its message is gone (acknowledged, not persistent, or its"
            + " queue deleted); the {1} forgets the branch",
        xid,
        decision);
  }

  private static XAException failure(RuntimeException cause) {
    XAException failure = new XAException(XAException.XAER_RMFAIL);
    failure.initCause(cause);
    return failure;
  }
}
