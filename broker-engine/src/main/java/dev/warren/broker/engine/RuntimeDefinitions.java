package dev.warren.broker.engine;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsJournal;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.DefinitionsValidator;
import dev.warren.broker.definitions.PolicyRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * The runtime definitions of a running broker: the current {@link DefinitionsState}, changed only
 * through {@link #apply}, which validates a batch of changes, journals it, publishes the new state
 * (so the next permission check reads it) and then carries out what the changes mean for the live
 * broker ({@link Effects}). Changes are serialised; readers never wait.
 */
final class RuntimeDefinitions implements Supplier<DefinitionsState> {

  /** What a change does to the live broker, after the new state is published. */
  interface Effects {
    void apply(DefinitionChange change, DefinitionsState before, DefinitionsState after);
  }

  private final DefinitionsJournal journal;
  private final PolicyRegistry policies = new PolicyRegistry();
  private final Object changing = new Object();
  private final boolean fresh;
  private volatile DefinitionsState state;
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

  @Override
  public DefinitionsState get() {
    return state;
  }

  PolicyRegistry policies() {
    return policies;
  }

  /**
   * Validates, journals and applies changes in order, all or none.
   *
   * @throws dev.warren.broker.definitions.InvalidDefinitionException if one is invalid (none is
   *     applied)
   */
  void apply(List<DefinitionChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    synchronized (changing) {
      DefinitionsState next = state;
      for (DefinitionChange change : changes) {
        DefinitionsValidator.check(next, change);
        next = next.apply(change);
      }
      journal.append(changes);
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
}
