package dev.warren.broker.cluster;

/**
 * What the metadata log drives on a node: topology entries go to the {@link ReplicatedTopology},
 * definitions entries to the {@link ReplicatedDefinitions}, in the one log order, so a virtual host
 * exists before its queues are declared and a user before its permissions. A snapshot holds both;
 * restoring one restores the definitions first (the virtual hosts the topology lives in).
 */
final class MetadataMachine implements ReplicatedState {
  private final ReplicatedTopology topology;
  private final ReplicatedDefinitions definitions;

  MetadataMachine(ReplicatedTopology topology, ReplicatedDefinitions definitions) {
    this.topology = topology;
    this.definitions = definitions;
  }

  @Override
  public void apply(long index, byte[] entry, boolean leader) {
    if (entry.length == 0) {
      return; // a barrier
    }
    MetadataEntry decoded = MetadataCodec.decodeEntry(entry);
    if (decoded instanceof DefinitionsCommand command) {
      definitions.apply(command);
    } else {
      topology.apply((MetadataCommand) decoded);
    }
  }

  @Override
  public byte[] snapshot() {
    return MetadataCodec.encodeSnapshot(
        new MetadataSnapshot(topology.declarations(), definitions.seeded(), definitions.state()));
  }

  @Override
  public void restore(byte[] snapshot) {
    MetadataSnapshot decoded = MetadataCodec.decodeSnapshot(snapshot);
    definitions.restore(decoded.seeded(), decoded.definitions());
    topology.restore(decoded.declarations());
  }
}
