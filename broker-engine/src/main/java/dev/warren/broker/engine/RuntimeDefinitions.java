package dev.warren.broker.engine;

import dev.warren.broker.cluster.DefinitionsReplica;
import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsJournal;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.DefinitionsValidator;
import dev.warren.broker.definitions.PolicyRegistry;
import dev.warren.broker.engine.api.BrokerChannel;
import java.util.List;
import java.util.function.Supplier;

/**
 * The runtime definitions of a running broker: the current {@link DefinitionsState}, changed only
 * through {@link #apply}, which validates a batch of changes, journals it, publishes the new state
 * (so the next permission check reads it) and then carries out what the changes mean for the live
 * broker ({@link Effects}). Changes are serialised; readers never wait.
 *
 * <p>On a cluster node the metadata log is the journal: {@link #apply} puts the batch in the log
 * and returns once this node has applied it, and every node applies every committed batch through
 * {@link #applyCommitted}, with the same effects.
 */
final class RuntimeDefinitions implements DefinitionsReplica {

  /** What a change does to the live broker, after the new state is published. */
  interface Effects {
    void apply(DefinitionChange change, DefinitionsState before, DefinitionsState after);
  }

  private final DefinitionsJournal journal;
  private final PolicyRegistry policies = new PolicyRegistry();
  private final Object changing = new Object();
  private final boolean fresh;
  private volatile DefinitionsState state;
  private volatile DefinitionChanges cluster;
  private Effects effects = (change, before, after) -> {};

  /**
   * @param initial the changes that make a fresh broker's definitions (RabbitMQ's default user and
   *     vhost, or a definitions file), applied only if the journal has nothing yet
   */
  RuntimeDefinitions(DefinitionsJournal journal, Supplier<List<DefinitionChange>> initial) {
    this.journal = journal;
    DefinitionsState recovered = journal.recovered();
    fresh = recovered == null;
    state = fresh ? DefinitionsState.EMPTY : recovered;
    if (fresh) {
      apply(initial.get());
    }
    policies.update(state);
  }

  /** Whether the journal had nothing: the definitions are the initial ones. */
  boolean fresh() {
    return fresh;
  }

  /** Installs the live broker's side of every later change. */
  void effects(Effects value) {
    effects = value;
  }

  /** On a cluster node: every change goes through the metadata log from now on. */
  void decideThrough(DefinitionChanges value) {
    cluster = value;
  }

  /**
   * On a cluster node: offers the definitions a fresh cluster starts with.
   *
   * @return whether they were applied (no node had given them before)
   */
  boolean seed(List<DefinitionChange> changes) {
    return BrokerChannel.join(cluster.seed(changes));
  }

  @Override
  public DefinitionsState get() {
    return state;
  }

  PolicyRegistry policies() {
    return policies;
  }

  /**
   * Validates, journals and applies changes in order, all or none; on a cluster node, once a
   * majority has them.
   *
   * @throws dev.warren.broker.definitions.InvalidDefinitionException if one is invalid (none is
   *     applied)
   * @throws dev.warren.broker.engine.api.BrokerException if the cluster could not decide them in
   *     time (none is applied)
   */
  void apply(List<DefinitionChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    DefinitionChanges decider = cluster;
    if (decider == null) {
      commit(changes, true);
    } else {
      BrokerChannel.join(decider.catchUp(changes));
      checked(state, changes); // invalid input is refused before it is logged
      BrokerChannel.join(decider.decide(changes));
    }
  }

  @Override
  public void applyCommitted(List<DefinitionChange> changes) {
    commit(changes, false);
  }

  @Override
  public void replaceWith(DefinitionsState target) {
    synchronized (changing) {
      List<DefinitionChange> changes = state.changesTo(target);
      DefinitionsState next = state;
      for (DefinitionChange change : changes) {
        next = next.apply(change);
      }
      publish(changes, next);
    }
  }

  private void commit(List<DefinitionChange> changes, boolean journaled) {
    synchronized (changing) {
      DefinitionsState next = checked(state, changes);
      if (journaled) {
        journal.append(changes);
      }
      publish(changes, next);
    }
  }

  /** The state after the changes, each checked against the state it applies to. */
  private static DefinitionsState checked(DefinitionsState from, List<DefinitionChange> changes) {
    DefinitionsState next = from;
    for (DefinitionChange change : changes) {
      DefinitionsValidator.check(next, change);
      next = next.apply(change);
    }
    return next;
  }

  /** Publishes the new state, then carries out each change's effects in order. */
  private void publish(List<DefinitionChange> changes, DefinitionsState next) {
    DefinitionsState current = state;
    state = next;
    for (DefinitionChange change : changes) {
      DefinitionsState after = current.apply(change);
      effects.apply(change, current, after);
      current = after;
    }
    policies.update(next);
  }
}
