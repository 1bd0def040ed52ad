package dev.warren.rar.adapter.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.rar.api.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundXAResourceTest {
  @TempDir Path dataDir;

  private final List<PendingPublish> routed = new ArrayList<>();
  private final Publisher recording = routed::addAll;

  private static Xid xid(int n) {
    return new StoredXid(4711, ("gtrid-" + n).getBytes(StandardCharsets.UTF_8), new byte[] {1});
  }

  private static PendingPublish publish(String text) {
    return new PendingPublish(
        "", "orders", MessageProperties.builder().persistent().build(), text.getBytes());
  }

  private OutboundXAResource resource() {
    return new OutboundXAResource(
        PreparedBranches.outbound(dataDir.resolve("xa")), recording, InDoubtBranches.NONE);
  }

  @Test
  void onePhaseCommitRoutesTheHeldPublishesOnlyAtCommit() throws XAException {
    OutboundXAResource xa = resource();
    xa.start(xid(1), XAResource.TMNOFLAGS);
    assertTrue(xa.hold(publish("a")));
    assertTrue(xa.hold(publish("b")));
    xa.end(xid(1), XAResource.TMSUCCESS);
    assertTrue(routed.isEmpty());

    xa.commit(xid(1), true);

    assertEquals(List.of("a", "b"), routed.stream().map(p -> new String(p.body())).toList());
  }

  @Test
  void rollbackDropsTheHeldPublishes() throws XAException {
    OutboundXAResource xa = resource();
    xa.start(xid(2), XAResource.TMNOFLAGS);
    xa.hold(publish("dropped"));
    xa.end(xid(2), XAResource.TMFAIL);

    xa.rollback(xid(2));

    assertTrue(routed.isEmpty());
    assertEquals(0, xa.recover(XAResource.TMSTARTRSCAN).length);
  }

  @Test
  void publishOutsideABranchIsNotHeld() throws XAException {
    OutboundXAResource xa = resource();
    assertFalse(xa.hold(publish("now")));
    xa.start(xid(3), XAResource.TMNOFLAGS);
    xa.end(xid(3), XAResource.TMSUCCESS);
    assertFalse(xa.hold(publish("after end")));
  }

  @Test
  void branchWithoutPublishesVotesReadOnly() throws XAException {
    OutboundXAResource xa = resource();
    xa.start(xid(4), XAResource.TMNOFLAGS);
    xa.end(xid(4), XAResource.TMSUCCESS);

    assertEquals(XAResource.XA_RDONLY, xa.prepare(xid(4)));
    assertEquals(0, xa.recover(XAResource.TMSTARTRSCAN).length);
  }

  @Test
  void preparedBranchSurvivesARestartAndIsCommittedByRecovery() throws XAException {
    OutboundXAResource beforeCrash = resource();
    beforeCrash.start(xid(5), XAResource.TMNOFLAGS);
    beforeCrash.hold(publish("promised"));
    beforeCrash.end(xid(5), XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, beforeCrash.prepare(xid(5)));
    // crash: the in-memory resource is gone, only the data directory remains

    OutboundXAResource afterRestart = resource();
    Xid[] inDoubt = afterRestart.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
    assertEquals(1, inDoubt.length);
    assertEquals(StoredXid.of(xid(5)), inDoubt[0]);
    assertArrayEquals(xid(5).getGlobalTransactionId(), inDoubt[0].getGlobalTransactionId());

    afterRestart.commit(inDoubt[0], false);

    assertEquals(List.of("promised"), routed.stream().map(p -> new String(p.body())).toList());
    assertEquals(0, resource().recover(XAResource.TMSTARTRSCAN).length);
  }

  @Test
  void preparedBranchRolledBackByRecoveryIsNeverRouted() throws XAException {
    OutboundXAResource beforeCrash = resource();
    beforeCrash.start(xid(6), XAResource.TMNOFLAGS);
    beforeCrash.hold(publish("undone"));
    beforeCrash.end(xid(6), XAResource.TMSUCCESS);
    beforeCrash.prepare(xid(6));

    OutboundXAResource afterRestart = resource();
    afterRestart.rollback(afterRestart.recover(XAResource.TMSTARTRSCAN)[0]);

    assertTrue(routed.isEmpty());
    assertEquals(0, resource().recover(XAResource.TMSTARTRSCAN).length);
  }

  @Test
  void commitOfAnUnknownBranchFailsWithNota() {
    XAException e = assertThrows(XAException.class, () -> resource().commit(xid(7), false));
    assertEquals(XAException.XAER_NOTA, e.errorCode);
  }

  @Test
  void failedCommitOfAPreparedBranchKeepsItForRecovery() throws XAException {
    OutboundXAResource failing =
        new OutboundXAResource(
            PreparedBranches.outbound(dataDir.resolve("xa")),
            publishes -> {
              throw new IllegalStateException("broker down");
            },
            InDoubtBranches.NONE);
    failing.start(xid(8), XAResource.TMNOFLAGS);
    failing.hold(publish("retry me"));
    failing.end(xid(8), XAResource.TMSUCCESS);
    failing.prepare(xid(8));

    XAException e = assertThrows(XAException.class, () -> failing.commit(xid(8), false));

    assertEquals(XAException.XAER_RMFAIL, e.errorCode);
    assertEquals(1, resource().recover(XAResource.TMSTARTRSCAN).length);
  }
}
