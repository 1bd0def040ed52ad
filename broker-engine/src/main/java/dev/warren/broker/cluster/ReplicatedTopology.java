package dev.warren.broker.cluster;

import dev.warren.broker.engine.TopologyChanges;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.model.GeneratedNames;
import dev.warren.broker.model.HomeNodeDown;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.QueueOwner;
import dev.warren.broker.model.Rejections;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.ReplyCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Topology changes decided by the cluster's metadata log (Khepri's role in RabbitMQ). A change is
 * appended to the log; every node applies it to its own model in log order, with the virtual host's
 * ordinary rules, so every node reaches the same outcome; the node that asked answers its client
 * when it has applied the change itself, with that outcome. Appending waits for a majority: a node
 * cut off from it refuses the change after {@code APPEND_TIMEOUT} with RabbitMQ's 541 "... because
 * the operation timed out".
 */
public final class ReplicatedTopology implements TopologyChanges, ReplicatedState {
  private static final System.Logger LOG = System.getLogger(ReplicatedTopology.class.getName());

  private final String node;
  private final Function<String, VirtualHost> hosts;
  private final TopologyRecords records;
  private final PendingRequests pending;
  private volatile MetadataLog log;

  ReplicatedTopology(String node, Function<String, VirtualHost> hosts, TopologyRecords records) {
    this.node = node;
    this.hosts = hosts;
    this.records = records;
    this.pending = new PendingRequests(node);
  }

  /** Set once the log is started (it replays into this object while starting). */
  void useLog(MetadataLog value) {
    log = value;
  }

  @Override
  public String node() {
    return node;
  }

  // --- asking for a change

  @Override
  public <R> CompletionStage<R> decide(VirtualHost host, TopologyChange<R> change) {
    if (change instanceof TopologyChange.DeleteQueue delete) {
      Queue queue = host.queue(delete.name());
      if (queue != null && queue.keptElsewhere() && !queue.replicated()) {
        @SuppressWarnings("unchecked")
        CompletionStage<R> deleted = (CompletionStage<R>) deleteOnHomeNode(host, queue, delete);
        return deleted;
      }
      return catchUp(host, delete).thenCompose(caughtUp -> decideNow(host, change));
    }
    return decideNow(host, change);
  }

  /**
   * A conditional queue.delete is checked on this node: first this node applies what the log has (a
   * barrier), so that a queue declared through another node a moment ago, and acknowledged there,
   * is found here rather than deleted as absent (delete-ok with 0, the queue kept).
   */
  private CompletionStage<Void> catchUp(VirtualHost host, TopologyChange.DeleteQueue delete) {
    if (!delete.ifUnused() && !delete.ifEmpty()) {
      return CompletableFuture.completedFuture(null); // decided in log order, on every node
    }
    return barrier(host, delete);
  }

  private CompletionStage<Void> barrier(VirtualHost host, TopologyChange<?> change) {
    return log.barrier()
        .exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(timedOut(host.name(), change)));
  }

  /**
   * A classic queue of another node is deleted there, where its consumers and messages are: that
   * node checks if-unused and if-empty, logs the deletion and answers once it applied it, and this
   * node answers delete-ok once it applied it too (a barrier), so the queue is gone on both. With
   * its node down the delete fails with RabbitMQ's 404 "home node ... is down or inaccessible", as
   * RabbitMQ's queue.delete does for a queue whose node is down (it deletes only a crashed or
   * stopped one). An unconditional delete the owner answers otherwise (it no longer has the queue:
   * its deletion is on its way through the log) is logged here, and answered delete-ok.
   */
  private CompletionStage<Integer> deleteOnHomeNode(
      VirtualHost host, Queue queue, TopologyChange.DeleteQueue delete) {
    try {
      host.checkQueueDeletion(delete.name(), delete.owner(), false, false); // 405 first
    } catch (BrokerException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    boolean conditional = delete.ifUnused() || delete.ifEmpty();
    return queue
        .deleteOnHomeNode(delete.ifUnused(), delete.ifEmpty())
        .handle(
            (deleted, failure) -> {
              if (failure == null) {
                return barrier(host, delete).thenApply(caughtUp -> deleted);
              }
              Throwable cause =
                  failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
              if (conditional || cause instanceof HomeNodeDown) {
                return CompletableFuture.<Integer>failedFuture(cause);
              }
              return decideNow(host, delete);
            })
        .thenCompose(next -> next);
  }

  @SuppressWarnings("unchecked")
  private <R> CompletionStage<R> decideNow(VirtualHost host, TopologyChange<R> change) {
    TopologyChange<R> logged;
    try {
      logged = prepare(host, change);
    } catch (BrokerException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    return (CompletionStage<R>)
        pending.append(
            log,
            request ->
                MetadataCodec.encode(new MetadataCommand(node, request, host.name(), logged)),
            () -> timedOut(host.name(), logged));
  }

  /**
   * What goes into the log: a server-named queue gets its name here (every node must create the
   * same one), and queue.delete's conditions, which depend on this node's consumers and messages,
   * are checked here and logged as an unconditional deletion.
   */
  private static <R> TopologyChange<R> prepare(VirtualHost host, TopologyChange<R> change) {
    if (change instanceof TopologyChange.DeclareQueue declare
        && declare.declaration().name().isEmpty()) {
      @SuppressWarnings("unchecked")
      TopologyChange<R> named =
          (TopologyChange<R>)
              new TopologyChange.DeclareQueue(
                  declare.declaration(),
                  declare.owner(),
                  declare.home(),
                  GeneratedNames.queueName());
      return named;
    }
    if (change instanceof TopologyChange.DeleteQueue delete
        && (delete.ifUnused() || delete.ifEmpty())) {
      host.checkQueueDeletion(delete.name(), delete.owner(), delete.ifUnused(), delete.ifEmpty());
      @SuppressWarnings("unchecked")
      TopologyChange<R> unconditional =
          (TopologyChange<R>)
              new TopologyChange.DeleteQueue(delete.name(), delete.owner(), false, false);
      return unconditional;
    }
    return change;
  }

  /** RabbitMQ's text when its metadata store cannot reach a majority in time. */
  private static BrokerException timedOut(String virtualHost, TopologyChange<?> change) {
    String what;
    if (change instanceof TopologyChange.DeclareExchange c) {
      what = "declare " + Rejections.exchange(virtualHost, c.declaration().name());
    } else if (change instanceof TopologyChange.DeleteExchange c) {
      what = "delete " + Rejections.exchange(virtualHost, c.name());
    } else if (change instanceof TopologyChange.DeclareQueue c) {
      what = "declare " + Rejections.queue(virtualHost, c.name());
    } else if (change instanceof TopologyChange.DeleteQueue c) {
      what = "delete " + Rejections.queue(virtualHost, c.name());
    } else if (change instanceof TopologyChange.BindQueue c) {
      what = (c.bind() ? "bind " : "unbind ") + Rejections.queue(virtualHost, c.queue());
    } else {
      TopologyChange.BindExchange c = (TopologyChange.BindExchange) change;
      what = (c.bind() ? "bind " : "unbind ") + Rejections.exchange(virtualHost, c.destination());
    }
    return new BrokerException(
        ReplyCode.INTERNAL_ERROR, "failed to " + what + " because the operation timed out");
  }

  /** A queue deleting itself (auto-delete, x-expires, exclusive owner gone), through the log. */
  void deleteItself(VirtualHost host, Queue queue) {
    QueueOwner owner = queue.exclusiveOwner() instanceof QueueOwner o ? o : null;
    decide(host, new TopologyChange.DeleteQueue(queue.name(), owner, false, false))
        .whenComplete(
            (deleted, failure) -> {
              if (failure != null) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Cluster: queue {0} in vhost {1} could not delete itself: {2}",
                    queue.name(),
                    host.name(),
                    failure.getMessage());
              }
            });
  }

  /** Deletes the exclusive queues of this node's previous run, whose connections are gone. */
  void forgetExclusiveQueuesOfEarlierRuns() {
    for (MetadataCommand command : records.commands()) {
      if (command.change() instanceof TopologyChange.DeclareQueue q
          && q.owner() != null
          && q.declaration().exclusive()
          && q.owner().node().equals(node)) {
        VirtualHost host = hosts.apply(command.virtualHost());
        if (host != null) {
          decide(host, new TopologyChange.DeleteQueue(q.name(), q.owner(), false, false));
        }
      }
    }
  }

  // --- applying the log (the log's thread)

  @Override
  public void apply(long index, byte[] entry, boolean leader) {
    if (entry.length == 0) {
      return; // a barrier
    }
    apply(MetadataCodec.decode(entry));
  }

  void apply(MetadataCommand command) {
    CompletableFuture<Object> outcome = pending.take(command.origin(), command.request());
    try {
      Object result = applyTo(command);
      if (outcome != null) {
        outcome.complete(result);
      }
    } catch (BrokerException refused) {
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

  private Object applyTo(MetadataCommand command) {
    VirtualHost host = hosts.apply(command.virtualHost());
    if (host == null) {
      throw Rejections.vhostNotFound(command.virtualHost());
    }
    return command.change().applyTo(host);
  }

  @Override
  public byte[] snapshot() {
    return MetadataCodec.encodeAll(declarations());
  }

  /** The declarations that rebuild this node's topology: what a snapshot holds. */
  List<MetadataCommand> declarations() {
    return records.commands();
  }

  /**
   * Makes this node's topology the snapshot's: what the snapshot lacks goes, then everything in it
   * is declared (declaring what exists already changes nothing).
   */
  @Override
  public void restore(byte[] snapshot) {
    restore(MetadataCodec.decodeAll(snapshot));
  }

  void restore(List<MetadataCommand> commands) {
    for (MetadataCommand deletion : records.deletionsNotIn(commands)) {
      applyQuietly(deletion);
    }
    for (MetadataCommand declaration : commands) {
      applyQuietly(declaration);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "Cluster: topology restored from a snapshot ({0} declarations)",
        commands.size());
  }

  private void applyQuietly(MetadataCommand command) {
    try {
      applyTo(command);
    } catch (BrokerException e) {
      LOG.log(
          System.Logger.Level.WARNING, "Cluster: not restoring {0}: {1}", command, e.getMessage());
    }
  }
}
