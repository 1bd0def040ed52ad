package dev.warren.broker.cluster;

import dev.warren.broker.model.TopologyChange;

/**
 * One entry of the metadata log: a topology change of one virtual host, and who asked for it.
 *
 * @param origin the node whose client asked for it ("" for changes replayed from a snapshot)
 * @param request that node's number for the request: the node answers its client when it applies
 *     the entry with its own number (a retried append applied twice is answered once)
 */
public record MetadataCommand(
    String origin, long request, String virtualHost, TopologyChange<?> change)
    implements MetadataEntry {}
