package dev.warren.rar.adapter;

import dev.warren.broker.engine.api.Broker;
import dev.warren.rar.adapter.embedded.EmbeddedBroker;
import dev.warren.rar.adapter.inbound.PreparedDeliveries;
import dev.warren.rar.adapter.remote.RemoteBroker;
import dev.warren.rar.adapter.tx.BrokerPublisher;
import dev.warren.rar.adapter.tx.OutboundXAResource;
import dev.warren.rar.adapter.tx.PendingPublish;
import dev.warren.rar.adapter.tx.PreparedBranches;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.work.WorkManager;
import java.util.List;
import java.util.Timer;
import javax.transaction.xa.XAResource;

/** What exists only between the adapter's start and stop. */
record AdapterRuntime(
    AdapterConfig config,
    BrokerBackend backend,
    WorkManager workManager,
    Timer timer,
    PreparedBranches<List<PendingPublish>> branches,
    PreparedDeliveries deliveries) {
  /**
   * Starts (or joins) the embedded broker, or checks the external one's settings ({@code mode}); a
   * failure cancels the timer it had created.
   */
  static AdapterRuntime start(AdapterConfig config, BootstrapContext context)
      throws UnavailableException {
    Timer timer = context.createTimer();
    PreparedDeliveries deliveries = new PreparedDeliveries(config.xaBranchDirectory());
    BrokerBackend backend;
    try {
      backend =
          switch (config.mode()) {
            case EMBEDDED -> EmbeddedBroker.start(config, deliveries.toHold());
            case REMOTE -> RemoteBroker.create(config);
          };
      if (backend instanceof EmbeddedBroker embedded) {
        deliveries.attach(embedded.broker(), new BrokerPublisher(backend, config.confirmTimeout()));
      }
    } catch (RuntimeException e) {
      timer.cancel();
      throw e;
    }
    PreparedBranches<List<PendingPublish>> branches =
        PreparedBranches.outbound(config.xaBranchDirectory());
    return new AdapterRuntime(
        config, backend, context.getWorkManager(), timer, branches, deliveries);
  }

  void stop() {
    timer.cancel();
    backend.close();
  }

  /** Completes prepared outbound branches and MDB deliveries alike. */
  XAResource recoveryResource() {
    return new OutboundXAResource(
        branches, new BrokerPublisher(backend, config.confirmTimeout()), deliveries);
  }

  /** The embedded engine's own facade; there is none in remote mode. */
  Broker broker() throws ResourceException {
    if (backend instanceof EmbeddedBroker embedded) {
      return embedded.broker();
    }
    throw new ResourceException("the Warren adapter runs in remote mode: no embedded broker");
  }

  /** The port external AMQP clients connect to, or -1 when there is no listener. */
  int amqpPort() {
    return backend instanceof EmbeddedBroker embedded ? embedded.amqpPort() : -1;
  }
}
