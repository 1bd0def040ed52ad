package dev.warren.broker.cluster;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.InvalidDefinitionException;
import dev.warren.broker.engine.DefinitionChanges;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Users, virtual hosts, permissions, parameters and policies decided by the metadata log, as
 * RabbitMQ keeps them in Khepri: a batch is appended, every node applies it in log order (checked
 * against the definitions there, the same on every node), and the node that asked answers once it
 * has applied the batch itself. Without a majority the append fails after the log's timeout and
 * nothing changes anywhere.
 */
final class ReplicatedDefinitions implements DefinitionChanges {
  private static final System.Logger LOG = System.getLogger(ReplicatedDefinitions.class.getName());

  private final String node;
  private final DefinitionsReplica replica;
  private final PendingRequests pending;
  private volatile MetadataLog log;

  /** Whether a fresh cluster's definitions were given; changed only by applying the log. */
  private volatile boolean seeded;

  ReplicatedDefinitions(String node, DefinitionsReplica replica) {
    this.node = node;
    this.replica = replica;
    this.pending = new PendingRequests(node);
  }

  /** Set once the log is started (it replays into this object while starting). */
  void useLog(MetadataLog value) {
    log = value;
  }

  // --- asking for a change

  @Override
  public CompletionStage<Void> decide(List<DefinitionChange> changes) {
    return append(false, changes).thenApply(applied -> null);
  }

  @Override
  public CompletionStage<Void> catchUp(List<DefinitionChange> changes) {
    return log.barrier()
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(timedOut(changes.get(0))));
  }

  @Override
  public CompletionStage<Boolean> seed(List<DefinitionChange> changes) {
    return append(true, changes).thenApply(Boolean.class::cast);
  }

  private CompletableFuture<Object> append(boolean seed, List<DefinitionChange> changes) {
    return pending.append(
        log,
        request -> MetadataCodec.encode(new DefinitionsCommand(node, request, seed, changes)),
        () -> timedOut(changes.get(0)));
  }

  /** RabbitMQ's text when its metadata store cannot reach a majority in time. */
  static BrokerException timedOut(DefinitionChange change) {
    return new BrokerException(
        ReplyCode.INTERNAL_ERROR,
        "failed to " + describe(change) + " because the operation timed out");
  }

  private static String describe(DefinitionChange change) {
    if (change instanceof DefinitionChange.PutUser c) {
      return "put user '" + c.user().name() + "'";
    } else if (change instanceof DefinitionChange.DeleteUser c) {
      return "delete user '" + c.name() + "'";
    } else if (change instanceof DefinitionChange.PutVirtualHost c) {
      return "put vhost '" + c.virtualHost().name() + "'";
    } else if (change instanceof DefinitionChange.DeleteVirtualHost c) {
      return "delete vhost '" + c.name() + "'";
    } else if (change instanceof DefinitionChange.PutPermission c) {
      return "set permissions of user '%s' in vhost '%s'"
          .formatted(c.permission().user(), c.permission().vhost());
    } else if (change instanceof DefinitionChange.DeletePermission c) {
      return "clear permissions of user '%s' in vhost '%s'".formatted(c.user(), c.vhost());
    } else if (change instanceof DefinitionChange.PutPolicy c) {
      return "set policy '%s' in vhost '%s'".formatted(c.policy().name(), c.policy().vhost());
    } else if (change instanceof DefinitionChange.DeletePolicy c) {
      return "clear policy '%s' in vhost '%s'".formatted(c.name(), c.vhost());
    }
    return "change the definitions";
  }

  // --- applying the log (the log's thread)

  /** Applies a committed batch; a seed only if none came before it. */
  void apply(DefinitionsCommand command) {
    CompletableFuture<Object> outcome = pending.take(command.origin(), command.request());
    boolean applies = !command.seed() || !seeded;
    if (command.seed()) {
      seeded = true; // even if refused: the first seed decides, on every node alike
    }
    try {
      if (applies) {
        replica.applyCommitted(command.changes());
      }
      if (outcome != null) {
        outcome.complete(applies);
      }
    } catch (InvalidDefinitionException refused) {
      if (outcome != null) {
        outcome.completeExceptionally(refused);
      }
    } catch (RuntimeException bug) {
      LOG.log(System.Logger.Level.ERROR, "Cluster: applying " + command + " failed", bug);
      if (outcome != null) {
        outcome.completeExceptionally(bug);
      }
    }
  }

  boolean seeded() {
    return seeded;
  }

  DefinitionsState state() {
    return replica.get();
  }

  /** Makes a snapshot's definitions this node's. */
  void restore(boolean seededBefore, DefinitionsState state) {
    seeded = seededBefore;
    replica.replaceWith(state);
    LOG.log(
        System.Logger.Level.INFO,
        "Cluster: definitions restored from a snapshot ({0} users, {1} vhosts, {2} policies)",
        state.users().size(),
        state.virtualHosts().size(),
        state.policies().size());
  }
}
