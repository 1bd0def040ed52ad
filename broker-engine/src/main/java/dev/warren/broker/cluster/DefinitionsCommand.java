package dev.warren.broker.cluster;

import dev.warren.broker.definitions.DefinitionChange;
import java.util.List;

/**
 * A batch of definition changes in the metadata log, applied all or none on every node.
 *
 * @param seed whether these are the definitions a fresh cluster starts with (RabbitMQ's default
 *     user and vhost, or a definitions file): such a batch applies only if no seed applied before,
 *     so that the first node to start gives them and the others' are ignored
 */
public record DefinitionsCommand(
    String origin, long request, boolean seed, List<DefinitionChange> changes)
    implements MetadataEntry {
  public DefinitionsCommand {
    changes = List.copyOf(changes);
  }
}
