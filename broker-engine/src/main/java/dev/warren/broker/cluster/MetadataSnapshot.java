package dev.warren.broker.cluster;

import dev.warren.broker.definitions.DefinitionsState;
import java.util.List;

/**
 * What a snapshot of the metadata log holds: the declarations that rebuild the topology, and the
 * definitions, with whether a fresh cluster's definitions were given yet (see {@link
 * DefinitionsCommand#seed}).
 */
public record MetadataSnapshot(
    List<MetadataCommand> declarations, boolean seeded, DefinitionsState definitions) {
  public MetadataSnapshot {
    declarations = List.copyOf(declarations);
  }
}
