package dev.warren.broker.cluster;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import java.util.List;
import java.util.function.Supplier;

/**
 * A node's definitions as the metadata log drives them: {@link #get} is what this node holds now;
 * the log applies what a majority committed, in log order, on every node alike.
 */
public interface DefinitionsReplica extends Supplier<DefinitionsState> {

  /**
   * Applies a committed batch to the live broker, all or none: each change is checked against the
   * state it applies to, which is the same on every node at that point of the log.
   *
   * @throws dev.warren.broker.definitions.InvalidDefinitionException if one is invalid there
   */
  void applyCommitted(List<DefinitionChange> changes);

  /** Makes a snapshot's definitions this node's, with the effects of what that changes. */
  void replaceWith(DefinitionsState state);
}
