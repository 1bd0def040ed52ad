package dev.warren.broker.engine;

import dev.warren.broker.definitions.DefinitionChange;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where changes to the definitions (users, virtual hosts, permissions, parameters, policies) are
 * decided on a cluster node: the metadata log, like topology changes ({@link TopologyChanges}). A
 * broker that is not clustered journals them itself and has none of this.
 */
public interface DefinitionChanges {

  /**
   * Puts a batch of changes, already checked against this node's definitions, in the log. The stage
   * completes once this node has applied it, or fails with the refusal every node came to (another
   * node's change came first), or when no majority took it in time.
   */
  CompletionStage<Void> decide(List<DefinitionChange> changes);

  /**
   * Completes once this node has applied every change committed before the call, so that a batch is
   * checked against what other nodes decided just before (in RabbitMQ 3.x a definition written on
   * one node is on every node when the write returns). Fails as {@link #decide} does when no
   * majority answers in time.
   */
  CompletionStage<Void> catchUp(List<DefinitionChange> changes);

  /**
   * Offers the definitions a fresh cluster starts with; they apply only if no node's applied
   * before. The stage completes with whether these did.
   */
  CompletionStage<Boolean> seed(List<DefinitionChange> changes);
}
