package dev.warren.rar.adapter;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.store.FsyncPolicy;
import dev.warren.broker.store.StoreConfig;
import dev.warren.rar.adapter.remote.RemoteSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The adapter's properties as the container set them (strings and boxed values, empty for unset):
 * the {@link AdapterConfig} they make, and the values adapter instances are compared by.
 */
final class AdapterProperties {
  private AdapterProperties() {}

  /**
   * @throws IllegalArgumentException if a property is invalid, which refuses the adapter's start
   */
  static AdapterConfig toConfig(WarrenResourceAdapter adapter) {
    StoreConfig store =
        StoreConfig.defaults()
            .withFsync(FsyncPolicy.parse(adapter.getFsync()))
            .withMemoryHighWatermark(adapter.getMemoryHighWatermark())
            .withDiskFreeLimitBytes(adapter.getDiskFreeLimit());
    RemoteSettings remote =
        new RemoteSettings(
            adapter.getAddresses(),
            Boolean.TRUE.equals(adapter.getTls()),
            pathOrNull(adapter.getTlsTrustStore()),
            emptyToNull(adapter.getTlsTrustStorePassword()),
            pathOrNull(adapter.getTlsKeyStore()),
            emptyToNull(adapter.getTlsKeyStorePassword()),
            Duration.ofMillis(adapter.getRecoveryInterval()));
    Path dir = pathOrNull(adapter.getDataDirectory());
    return new AdapterConfig(
        BrokerMode.parse(adapter.getMode()),
        adapter.getPort(),
        adapter.getBindAddress(),
        dir == null ? AdapterConfig.defaultDataDirectory() : dir,
        adapter.getDefaultUser(),
        adapter.getDefaultPassword(),
        adapter.getVirtualHost(),
        pathOrNull(adapter.getDefinitionsFile()),
        store,
        remote,
        Duration.ofMillis(adapter.getConfirmTimeout()),
        adapter.getManagementPort(),
        adapter.getManagementBindAddress(),
        adapter.getPrometheusPort(),
        cluster(adapter));
  }

  /** The embedded broker's cluster, or null when no node id makes it a cluster node. */
  private static ClusterConfig cluster(WarrenResourceAdapter adapter) {
    String nodeId = adapter.getNodeId();
    if (nodeId == null || nodeId.isBlank()) {
      return null;
    }
    String links = adapter.getClusterLinks();
    return ClusterConfig.of(
        nodeId.strip(),
        adapter.getClusterPeers(),
        adapter.getClusterPort() == 0 ? -1 : adapter.getClusterPort(),
        adapter.getClusterName(),
        adapter.getClusterQuorumShards(),
        links == null || links.isBlank() ? null : links.strip());
  }

  private static Path pathOrNull(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * What {@link WarrenResourceAdapter#equals} and {@code hashCode} compare: every property, as the
   * Connector specification asks (two adapters that differ only in their cluster node are two).
   */
  static List<Object> compared(WarrenResourceAdapter adapter) {
    return Arrays.asList(
        adapter.getMode(),
        adapter.getPort(),
        adapter.getBindAddress(),
        adapter.getDataDirectory(),
        adapter.getDefaultUser(),
        adapter.getDefaultPassword(),
        adapter.getDefinitionsFile(),
        adapter.getFsync(),
        adapter.getMemoryHighWatermark(),
        adapter.getDiskFreeLimit(),
        adapter.getManagementPort(),
        adapter.getManagementBindAddress(),
        adapter.getPrometheusPort(),
        adapter.getVirtualHost(),
        adapter.getConfirmTimeout(),
        adapter.getAddresses(),
        adapter.getTls(),
        adapter.getTlsTrustStore(),
        adapter.getTlsTrustStorePassword(),
        adapter.getTlsKeyStore(),
        adapter.getTlsKeyStorePassword(),
        adapter.getRecoveryInterval(),
        adapter.getNodeId(),
        adapter.getClusterPeers(),
        adapter.getClusterPort(),
        adapter.getClusterName(),
        adapter.getClusterQuorumShards(),
        adapter.getClusterLinks());
  }
}
