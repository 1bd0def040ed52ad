package dev.warren.broker.cluster.raft;

import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis's gRPC log appender, which also tells a follower of a new commit index as soon as the
 * leader has it.
 *
 * <p>Ratis 3.2's appender sends nothing for a commit index alone: a follower hears of it with the
 * next entries or the next heartbeat. Ratis fills the gap with a log-metadata entry after each
 * commit, which every member appends and forces like a proposal, and under load those entries were
 * half of what the followers forced (docs/cluster.md, "Where a confirm waits"). With them off, this
 * appender sends a heartbeat instead (no entry, no write, no force on the follower) when the
 * leader's commit index has passed the follower's and nothing sent to it carries the new one. A
 * follower then applies, and delivers to its node's consumers, one round after the commit, not at
 * the next heartbeat up to 250 ms later.
 */
final class CommitPushingLogAppender extends GrpcLogAppender {
  /**
   * The highest commit index a request sent to this follower carried; guarded by the caller's lock.
   */
  private long pushed = -1;

  CommitPushingLogAppender(RaftServer.Division server, LeaderState leader, FollowerInfo follower) {
    super(server, leader, follower);
  }

  /**
   * Called by the appender's thread under its write lock. A heartbeat sent while entries are still
   * on their way to the follower would carry no commit index (Ratis leaves its previous entry out,
   * and the follower takes the smaller of the two): the answer to those entries wakes this thread
   * again, and the push goes then.
   */
  @Override
  public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
      throws RaftLogIOException {
    AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
    if (request == null && commitToPush()) {
      request = super.newAppendEntriesRequest(callId, true);
    }
    if (request != null) {
      pushed = Math.max(pushed, request.getLeaderCommit());
    }
    return request;
  }

  private boolean commitToPush() {
    long committed = getRaftLog().getLastCommittedIndex();
    return committed > pushed
        && committed > getFollower().getCommitIndex()
        && !hasPendingDataRequests();
  }
}
