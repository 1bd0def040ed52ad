package dev.warren.broker.cluster;

/**
 * An entry of the metadata log: a topology change of one virtual host, or a batch of changes to the
 * definitions (users, virtual hosts, permissions, parameters, policies). Both are answered by the
 * node that asked, when it applies the entry with its request number.
 */
public sealed interface MetadataEntry permits MetadataCommand, DefinitionsCommand {

  /** The node whose client asked for it ("" for what a snapshot restores). */
  String origin();

  /** That node's number for the request. */
  long request();
}
