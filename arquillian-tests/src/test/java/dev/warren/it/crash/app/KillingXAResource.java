package dev.warren.it.crash.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A test-only resource that the crash application enlists next to the database and the Warren
 * connection: it votes yes and, in the chosen phase, sends SIGKILL to its own server, so that the
 * server dies with the other branches prepared (and, depending on the commit order, some of them
 * committed). It kills once per marker file, so a redelivered message cannot kill the server again.
 * Deliberately not serializable (Narayana would deserialize it with a class loader that cannot see
 * the application): the transaction manager cannot recover it and warns about it on each recovery
 * pass, while it completes the other branches of the transaction.
 */
public final class KillingXAResource implements XAResource {
  public enum Phase {
    PREPARE,
    COMMIT
  }

  private final Phase phase;
  private final Path marker;

  public KillingXAResource(Phase phase, Path marker) {
    this.phase = phase;
    this.marker = marker;
  }

  @Override
  public int prepare(Xid xid) {
    killIf(Phase.PREPARE);
    return XA_OK;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) {
    killIf(Phase.COMMIT);
  }

  private void killIf(Phase now) {
    if (now != phase || !armed()) {
      return;
    }
    try {
      String pid = String.valueOf(ProcessHandle.current().pid());
      new ProcessBuilder("kill", "-9", pid).inheritIO().start();
    } catch (IOException e) {
      Runtime.getRuntime().halt(137);
    }
    // the signal arrives within milliseconds; nothing of this transaction may continue meanwhile
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    Runtime.getRuntime().halt(137);
  }

  /** True the first time only: the marker records that this kill happened. */
  private boolean armed() {
    try {
      Files.createDirectories(marker.getParent());
      Files.createFile(marker);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write kill marker " + marker, e);
    }
  }

  @Override
  public void start(Xid xid, int flags) {}

  @Override
  public void end(Xid xid, int flags) {}

  @Override
  public void rollback(Xid xid) {}

  @Override
  public void forget(Xid xid) {}

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
