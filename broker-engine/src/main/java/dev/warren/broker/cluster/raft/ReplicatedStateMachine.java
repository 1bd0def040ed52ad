package dev.warren.broker.cluster.raft;

import dev.warren.broker.cluster.ReplicatedState;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Ratis's view of a {@link ReplicatedState}: committed entries are applied on Ratis's state machine
 * thread, in log order, and snapshots are single files next to the log. Nothing here knows what the
 * entries mean.
 */
final class ReplicatedStateMachine extends BaseStateMachine {
  private static final System.Logger LOG = System.getLogger(ReplicatedStateMachine.class.getName());

  private final String name;
  private final ReplicatedState state;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Consumer<RaftPeerId> leaderChanged;

  /**
   * @param leaderChanged told each leader this member sees elected, on Ratis's thread
   */
  ReplicatedStateMachine(String name, ReplicatedState state, Consumer<RaftPeerId> leaderChanged) {
    this.name = name;
    this.state = state;
    this.leaderChanged = leaderChanged;
  }

  /** Operators (and the failover tests) see which node leads each log. */
  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    LOG.log(
        System.Logger.Level.INFO,
        "Cluster log {0}: the leader is now {1} (seen by {2})",
        name,
        newLeader,
        member.getPeerId());
    leaderChanged.accept(newLeader);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    getLifeCycle()
        .startAndTransition(
            () -> {
              storage.init(raftStorage);
              load(storage.getLatestSnapshot());
            },
            IOException.class);
  }

  /**
   * Before a leader's snapshot is installed on this follower. Ratis checks that the state machine
   * is paused before it reloads it ({@link #reinitialize}), so the life cycle must say so: without
   * it, installing a snapshot failed and closed this member of the group for good.
   */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** A leader installed a snapshot on this follower: the state jumps to it. */
  @Override
  public void reinitialize() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    load(snapshot);
    LOG.log(
        System.Logger.Level.INFO,
        "Cluster log {0}: installed the leader''s snapshot of index {1}",
        name,
        snapshot == null ? "?" : snapshot.getIndex());
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto entry = transaction.getLogEntry();
    boolean leader = transaction.getServerRole() == RaftPeerRole.LEADER;
    EntryBatch.forEach(
        entry.getStateMachineLogEntry().getLogData().toByteArray(),
        each -> state.apply(entry.getIndex(), each, leader));
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  /** Called by Ratis between applies, so the state is exactly that of the last applied entry. */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Files.write(file.toPath(), state.snapshot());
    FileInfo info = new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file));
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, last));
    return last.getIndex();
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    Path path = snapshot.getFile().getPath();
    if (snapshot.getFile().getFileDigest() != null) {
      MD5FileUtil.verifySavedMD5(path.toFile(), snapshot.getFile().getFileDigest());
    }
    state.restore(Files.readAllBytes(path));
    updateLastAppliedTermIndex(snapshot.getTermIndex());
  }
}
