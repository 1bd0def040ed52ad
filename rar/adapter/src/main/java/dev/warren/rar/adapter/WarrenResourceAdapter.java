package dev.warren.rar.adapter;

import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.ManagementConfig;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.store.FsyncPolicy;
import dev.warren.broker.store.StoreConfig;
import dev.warren.rar.adapter.inbound.AmqpActivationSpec;
import dev.warren.rar.adapter.inbound.EndpointActivation;
import dev.warren.rar.adapter.tx.BrokerPublisher;
import dev.warren.rar.adapter.tx.OutboundXAResource;
import dev.warren.rar.adapter.tx.PreparedBranches;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAResource;

/**
 * Runs Warren inside the application server: {@link #start} boots the engine (and its AMQP listener
 * for external clients), MDB activations consume from it, and the connection factory publishes to
 * it in-VM. Its properties are the whole configuration; the README's table documents them.
 */
@Connector(
    displayName = "Warren AMQP 0-9-1 broker",
    vendorName = "Warren",
    eisType = "AMQP 0-9-1",
    version = "0.1",
    transactionSupport = TransactionSupport.TransactionSupportLevel.XATransaction)
public class WarrenResourceAdapter implements ResourceAdapter {
  private static final System.Logger LOG = System.getLogger(WarrenResourceAdapter.class.getName());
  public static final String VIRTUAL_HOST = "/";

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

  @ConfigProperty(description = "User for external clients and the adapter", defaultValue = "guest")
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

  private final Map<ActivationKey, EndpointActivation> activations = new ConcurrentHashMap<>();
  private volatile Running running;

  /** What exists only between start and stop. */
  private record Running(
      AdapterConfig config,
      BrokerEngine engine,
      WorkManager workManager,
      PreparedBranches branches) {}

  private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {}

  @Override
  public void start(BootstrapContext context) throws ResourceAdapterInternalException {
    try {
      AdapterConfig config = config();
      BrokerEngine engine = EngineRegistry.acquire(config);
      PreparedBranches branches =
          new PreparedBranches(engine.config().dataDir().resolve("xa-branches"));
      running = new Running(config, engine, context.getWorkManager(), branches);
      LOG.log(System.Logger.Level.INFO, "Warren adapter started ({0})", describe(config, engine));
    } catch (RuntimeException e) {
      throw new ResourceAdapterInternalException("Warren engine failed to start: " + e, e);
    }
  }

  @Override
  public void stop() {
    Running current = running;
    if (current == null) {
      return;
    }
    activations.values().forEach(EndpointActivation::stop);
    activations.clear();
    running = null;
    EngineRegistry.release(current.engine());
  }

  @Override
  public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec)
      throws ResourceException {
    Running current = requireRunning();
    AmqpActivationSpec amqpSpec = (AmqpActivationSpec) spec;
    amqpSpec.validate();
    EndpointActivation activation =
        new EndpointActivation(
            current.engine().broker(),
            current.config().defaultUser(),
            current.workManager(),
            factory,
            amqpSpec.toConfig());
    activation.start();
    activations.put(new ActivationKey(factory, spec), activation);
  }

  @Override
  public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
    EndpointActivation activation = activations.remove(new ActivationKey(factory, spec));
    if (activation != null) {
      activation.stop();
    }
  }

  /** The server's recovery asks here for branches that were prepared but never completed. */
  @Override
  public XAResource[] getXAResources(ActivationSpec[] specs) throws ResourceException {
    Running current = requireRunning();
    return new XAResource[] {
      new OutboundXAResource(
          current.branches(),
          new BrokerPublisher(current.engine().broker(), current.config().defaultUser()))
    };
  }

  /** The running engine's facade, for the outbound connections. */
  public Broker broker() throws ResourceException {
    return requireRunning().engine().broker();
  }

  public PreparedBranches preparedBranches() throws ResourceException {
    return requireRunning().branches();
  }

  /** The port external AMQP clients connect to, or -1 when there is no listener. */
  public int amqpPort() throws ResourceException {
    return requireRunning().engine().amqpPort();
  }

  private Running requireRunning() throws ResourceException {
    Running current = running;
    if (current == null) {
      throw new ResourceException("the Warren resource adapter is not started");
    }
    return current;
  }

  /**
   * Every effective setting but the password, so that an administrator can check in the server log
   * that each property reached the adapter.
   */
  private static String describe(AdapterConfig config, BrokerEngine engine) {
    StoreConfig store = config.store();
    return String.format(
        java.util.Locale.ROOT,
        "AMQP port %s on %s, management port %s on %s, data %s, user %s, definitions %s,"
            + " fsync %s, memory high watermark %s, disk free limit %d bytes",
        engine.amqpPort() < 0 ? "none" : String.valueOf(engine.amqpPort()),
        config.bindAddress(),
        engine.managementPort() < 0 ? "none" : String.valueOf(engine.managementPort()),
        config.managementBindAddress(),
        engine.config().dataDir(),
        config.defaultUser(),
        config.definitionsFile() == null ? "none" : config.definitionsFile(),
        store.fsync().name().toLowerCase(java.util.Locale.ROOT),
        store.memoryHighWatermark(),
        store.diskFreeLimitBytes());
  }

  private AdapterConfig config() {
    Path dir =
        dataDirectory == null || dataDirectory.isBlank()
            ? AdapterConfig.defaultDataDirectory()
            : Path.of(dataDirectory);
    Path definitions =
        definitionsFile == null || definitionsFile.isBlank() ? null : Path.of(definitionsFile);
    StoreConfig store =
        StoreConfig.defaults()
            .withFsync(FsyncPolicy.parse(fsync))
            .withMemoryHighWatermark(memoryHighWatermark)
            .withDiskFreeLimitBytes(diskFreeLimit);
    return new AdapterConfig(
        port,
        bindAddress,
        dir,
        defaultUser,
        defaultPassword,
        definitions,
        store,
        managementPort,
        managementBindAddress);
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

  /**
   * Adapter instances are JavaBeans compared by their properties, as the Connectors spec asks (the
   * properties as set: an invalid one is only refused by {@link #start}).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof WarrenResourceAdapter that && properties().equals(that.properties());
  }

  @Override
  public int hashCode() {
    return properties().hashCode();
  }

  private List<Object> properties() {
    return Arrays.asList(
        port,
        bindAddress,
        dataDirectory,
        defaultUser,
        defaultPassword,
        definitionsFile,
        fsync,
        memoryHighWatermark,
        diskFreeLimit,
        managementPort,
        managementBindAddress);
  }
}
