package dev.warren.broker.definitions;

import java.util.List;

/**
 * Where the runtime definitions are kept: the seam between the broker, which validates and applies
 * changes, and their storage. The local implementation is a log file beside the topology log; a
 * replicated one (a Raft group) can take its place, committing each change on a majority before
 * {@link #append} returns.
 */
public interface DefinitionsJournal extends AutoCloseable {

  /** What was recorded before this start, or null if nothing ever was (a fresh broker). */
  DefinitionsState recovered();

  /**
   * Records changes durably, in order, before returning.
   *
   * @throws java.io.UncheckedIOException if they could not be recorded (nothing is applied then)
   */
  void append(List<DefinitionChange> changes);

  @Override
  void close();

  /** A journal that forgets everything at stop, for brokers without a store. */
  static DefinitionsJournal inMemory() {
    return new DefinitionsJournal() {
      @Override
      public DefinitionsState recovered() {
        return null;
      }

      @Override
      public void append(List<DefinitionChange> changes) {}

      @Override
      public void close() {}
    };
  }
}
