package dev.warren.rar.adapter;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.engine.ManagementConfig;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.store.StoreConfig;
import dev.warren.rar.adapter.remote.RemoteSettings;
import dev.warren.rar.adapter.tx.InDoubtBranches;
import dev.warren.rar.adapter.tx.PendingPublish;
import dev.warren.rar.adapter.tx.PreparedBranches;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.time.Duration;
import java.util.List;
import javax.transaction.xa.XAResource;

/**
 * Runs Warren inside the application server: {@link #start} boots the engine (and its AMQP listener
 * for external clients), MDB activations consume from it, and the connection factory publishes to
 * it in-VM. With {@code mode=remote} no engine starts: MDBs and the connection factory use an
 * external broker instead ({@link BrokerBackend}). Its properties are the whole configuration; the
 * README's table documents them.
 */
@Connector(
    displayName = "Warren AMQP 0-9-1 broker",
    vendorName = "Warren",
    eisType = "AMQP 0-9-1",
    version = "0.1",
    transactionSupport = TransactionSupport.TransactionSupportLevel.XATransaction)
public class WarrenResourceAdapter implements ResourceAdapter {
  private static final System.Logger LOG = System.getLogger(WarrenResourceAdapter.class.getName());

  @ConfigProperty(
      description = "embedded (the broker runs in this server) or remote (an external broker)",
      defaultValue = "embedded")
  private String mode = "embedded";

  @ConfigProperty(
      description = "AMQP port for external clients; 0 = no listener, in-VM only",
      defaultValue = "5672")
  private Integer port = AdapterConfig.DEFAULT_PORT;

  @ConfigProperty(description = "Address the AMQP listener binds to", defaultValue = "0.0.0.0")
  private String bindAddress = "0.0.0.0";

  @ConfigProperty(
      description =
          "Directory of the message store and prepared XA branches; default: warren-data in the"
              + " server's data directory")
  private String dataDirectory = "";

  @ConfigProperty(
      description = "User the adapter logs in as (embedded: also the external clients' user)",
      defaultValue = "guest")
  private String defaultUser = "guest";

  @ConfigProperty(
      description = "Password of the default user",
      defaultValue = "guest",
      confidential = true)
  private String defaultPassword = "guest";

  @ConfigProperty(
      description =
          "Users, vhosts and permissions (RabbitMQ definitions JSON); empty: the default user alone")
  private String definitionsFile = "";

  @ConfigProperty(
      description =
          "When the store forces writes to disk: always (group commit), interval or never",
      defaultValue = "always")
  private String fsync = "always";

  @ConfigProperty(
      description = "Fraction of the server's maximum heap above which publishers are blocked",
      defaultValue = "0.6")
  private Double memoryHighWatermark = StoreConfig.defaults().memoryHighWatermark();

  @ConfigProperty(
      description = "Free bytes on the data directory's disk below which publishers are blocked",
      defaultValue = "52428800")
  private Long diskFreeLimit = StoreConfig.defaults().diskFreeLimitBytes();

  @ConfigProperty(
      description =
          "Management HTTP API (RabbitMQ's paths and JSON, port of its management plugin); 0 = no"
              + " listener",
      defaultValue = "15672")
  private Integer managementPort = ManagementConfig.DEFAULT_PORT;

  @ConfigProperty(
      description = "Address the management HTTP listener binds to",
      defaultValue = "0.0.0.0")
  private String managementBindAddress = "0.0.0.0";

  @ConfigProperty(
      description =
          "Prometheus metrics in RabbitMQ's names at /metrics (rabbitmq_prometheus' port is"
              + " 15692); 0 = no listener. Off by default: the endpoint has no authentication",
      defaultValue = "0")
  private Integer prometheusPort = 0;

  @ConfigProperty(
      description = "Virtual host of the MDBs and the connection factory",
      defaultValue = "/")
  private String virtualHost = AdapterConfig.DEFAULT_VIRTUAL_HOST;

  @ConfigProperty(
      description = "Milliseconds a commit waits for the broker to confirm its publishes",
      defaultValue = "30000")
  private Long confirmTimeout = AdapterConfig.DEFAULT_CONFIRM_TIMEOUT.toMillis();

  @ConfigProperty(
      description =
          "This broker's stable id in a cluster of Warren nodes; empty: no cluster (embedded mode)")
  private String nodeId = "";

  @ConfigProperty(
      description = "The cluster's nodes as id=host:raftPort,... (the same list on every node)")
  private String clusterPeers = "";

  @ConfigProperty(
      description = "Raft port of this node; 0: the port of its own entry in clusterPeers",
      defaultValue = "0")
  private Integer clusterPort = 0;

  @ConfigProperty(
      description = "The cluster's name, sent to clients as cluster_name",
      defaultValue = ClusterConfig.DEFAULT_NAME)
  private String clusterName = ClusterConfig.DEFAULT_NAME;

  @ConfigProperty(
      description =
          "Logs the quorum queues are spread over; the same on every node, fixed for good",
      defaultValue = "4")
  private Integer clusterQuorumShards = ClusterConfig.DEFAULT_QUORUM_SHARDS;

  @ConfigProperty(
      description =
          "Every node's link for reaching other nodes' classic queues, id=host:port,...; empty:"
              + " each Raft address's port plus 10000")
  private String clusterLinks = "";

  @ConfigProperty(
      description = "Remote mode: the broker's host[:port], comma-separated for a cluster")
  private String addresses = "";

  @ConfigProperty(description = "Remote mode: connect with TLS", defaultValue = "false")
  private Boolean tls = false;

  @ConfigProperty(description = "Remote mode: CA certificates to trust (PKCS#12 or .jks)")
  private String tlsTrustStore = "";

  @ConfigProperty(description = "Remote mode: the trust store's password", confidential = true)
  private String tlsTrustStorePassword = "";

  @ConfigProperty(description = "Remote mode: the adapter's key and certificate (PKCS#12 or .jks)")
  private String tlsKeyStore = "";

  @ConfigProperty(description = "Remote mode: the key store's password", confidential = true)
  private String tlsKeyStorePassword = "";

  @ConfigProperty(
      description = "Remote mode: milliseconds between reconnection attempts",
      defaultValue = "5000")
  private Long recoveryInterval = RemoteSettings.DEFAULT_RECOVERY_INTERVAL.toMillis();

  private final EndpointActivations activations = new EndpointActivations();
  private volatile AdapterRuntime running;

  @Override
  public void start(BootstrapContext context) throws ResourceAdapterInternalException {
    try {
      AdapterRuntime started = AdapterRuntime.start(AdapterProperties.toConfig(this), context);
      running = started;
      // every effective setting but the passwords, so that an administrator can check each one
      LOG.log(
          System.Logger.Level.INFO,
          "Warren adapter started ({0}, virtual host {1}, confirm timeout {2} ms)",
          started.backend().description(),
          started.config().virtualHost(),
          String.valueOf(started.config().confirmTimeout().toMillis()));
    } catch (RuntimeException | UnavailableException e) {
      throw new ResourceAdapterInternalException("Warren adapter failed to start: " + e, e);
    }
  }

  @Override
  public void stop() {
    AdapterRuntime current = running;
    if (current == null) {
      return;
    }
    activations.stopAll();
    running = null;
    current.stop();
  }

  @Override
  public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec)
      throws ResourceException {
    activations.activate(requireRunning(), factory, spec);
  }

  @Override
  public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    activations.deactivate(factory, spec);
  }

  /** The server's recovery asks here for branches that were prepared but never completed. */
  @Override
  public XAResource[] getXAResources(ActivationSpec[] specs) throws ResourceException {
    return new XAResource[] {requireRunning().recoveryResource()};
  }

  /** Where the outbound connections connect to. */
  public BrokerBackend backend() throws ResourceException {
    return requireRunning().backend();
  }

  public PreparedBranches<List<PendingPublish>> preparedBranches() throws ResourceException {
    return requireRunning().branches();
  }

  /** The MDB deliveries' prepared branches, which recovery completes through any XAResource. */
  public InDoubtBranches preparedDeliveries() throws ResourceException {
    return requireRunning().deliveries();
  }

  /** How long a commit waits for the broker's publisher confirms. */
  public Duration confirmTimeout() throws ResourceException {
    return requireRunning().config().confirmTimeout();
  }

  /** The embedded engine's own facade (its users, for instance); there is none in remote mode. */
  public Broker broker() throws ResourceException {
    return requireRunning().broker();
  }

  /** The port external AMQP clients connect to, or -1 when there is no listener. */
  public int amqpPort() throws ResourceException {
    return requireRunning().amqpPort();
  }

  private AdapterRuntime requireRunning() throws ResourceException {
    AdapterRuntime current = running;
    if (current == null) {
      throw new ResourceException("the Warren resource adapter is not started");
    }
    return current;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public void setBindAddress(String bindAddress) {
    this.bindAddress = bindAddress;
  }

  public String getDataDirectory() {
    return dataDirectory;
  }

  public void setDataDirectory(String dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  public String getDefaultUser() {
    return defaultUser;
  }

  public void setDefaultUser(String defaultUser) {
    this.defaultUser = defaultUser;
  }

  public String getDefaultPassword() {
    return defaultPassword;
  }

  public void setDefaultPassword(String defaultPassword) {
    this.defaultPassword = defaultPassword;
  }

  public String getDefinitionsFile() {
    return definitionsFile;
  }

  public void setDefinitionsFile(String definitionsFile) {
    this.definitionsFile = definitionsFile;
  }

  public String getFsync() {
    return fsync;
  }

  public void setFsync(String fsync) {
    this.fsync = fsync;
  }

  public Double getMemoryHighWatermark() {
    return memoryHighWatermark;
  }

  public void setMemoryHighWatermark(Double memoryHighWatermark) {
    this.memoryHighWatermark = memoryHighWatermark;
  }

  public Long getDiskFreeLimit() {
    return diskFreeLimit;
  }

  public void setDiskFreeLimit(Long diskFreeLimit) {
    this.diskFreeLimit = diskFreeLimit;
  }

  public Integer getManagementPort() {
    return managementPort;
  }

  public void setManagementPort(Integer managementPort) {
    this.managementPort = managementPort;
  }

  public String getManagementBindAddress() {
    return managementBindAddress;
  }

  public void setManagementBindAddress(String managementBindAddress) {
    this.managementBindAddress = managementBindAddress;
  }

  public String getNodeId() {
    return nodeId;
  }

  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  public String getClusterPeers() {
    return clusterPeers;
  }

  public void setClusterPeers(String clusterPeers) {
    this.clusterPeers = clusterPeers;
  }

  public Integer getClusterPort() {
    return clusterPort;
  }

  public void setClusterPort(Integer clusterPort) {
    this.clusterPort = clusterPort;
  }

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public Integer getClusterQuorumShards() {
    return clusterQuorumShards;
  }

  public void setClusterQuorumShards(Integer clusterQuorumShards) {
    this.clusterQuorumShards = clusterQuorumShards;
  }

  public String getClusterLinks() {
    return clusterLinks;
  }

  public void setClusterLinks(String clusterLinks) {
    this.clusterLinks = clusterLinks;
  }

  public Integer getPrometheusPort() {
    return prometheusPort;
  }

  public void setPrometheusPort(Integer prometheusPort) {
    this.prometheusPort = prometheusPort;
  }

  public String getVirtualHost() {
    return virtualHost;
  }

  public void setVirtualHost(String virtualHost) {
    this.virtualHost = virtualHost;
  }

  public Long getConfirmTimeout() {
    return confirmTimeout;
  }

  public void setConfirmTimeout(Long confirmTimeout) {
    this.confirmTimeout = confirmTimeout;
  }

  public String getAddresses() {
    return addresses;
  }

  public void setAddresses(String addresses) {
    this.addresses = addresses;
  }

  public Boolean getTls() {
    return tls;
  }

  public void setTls(Boolean tls) {
    this.tls = tls;
  }

  public String getTlsTrustStore() {
    return tlsTrustStore;
  }

  public void setTlsTrustStore(String tlsTrustStore) {
    this.tlsTrustStore = tlsTrustStore;
  }

  public String getTlsTrustStorePassword() {
    return tlsTrustStorePassword;
  }

  public void setTlsTrustStorePassword(String tlsTrustStorePassword) {
    this.tlsTrustStorePassword = tlsTrustStorePassword;
  }

  public String getTlsKeyStore() {
    return tlsKeyStore;
  }

  public void setTlsKeyStore(String tlsKeyStore) {
    this.tlsKeyStore = tlsKeyStore;
  }

  public String getTlsKeyStorePassword() {
    return tlsKeyStorePassword;
  }

  public void setTlsKeyStorePassword(String tlsKeyStorePassword) {
    this.tlsKeyStorePassword = tlsKeyStorePassword;
  }

  public Long getRecoveryInterval() {
    return recoveryInterval;
  }

  public void setRecoveryInterval(Long recoveryInterval) {
    this.recoveryInterval = recoveryInterval;
  }

  /**
   * Adapter instances are JavaBeans compared by their properties, as the Connectors spec asks (the
   * properties as set: an invalid one is only refused by {@link #start}).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof WarrenResourceAdapter that
        && AdapterProperties.compared(this).equals(AdapterProperties.compared(that));
  }

  @Override
  public int hashCode() {
    return AdapterProperties.compared(this).hashCode();
  }
}
