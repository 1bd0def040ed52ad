package dev.warren.rar.adapter.testsupport;

import dev.warren.rar.adapter.WarrenResourceAdapter;
import dev.warren.rar.adapter.outbound.WarrenManagedConnectionFactory;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import javax.transaction.xa.XAResource;

/**
 * The container's part of outbound connections, reduced to a pool of one managed connection: what
 * an EJB's injected connection factory hands out, and the XAResource its transaction enlists.
 */
public final class SingleConnectionPool implements ConnectionManager, AutoCloseable {
  private static final long serialVersionUID = 1L;

  private final transient AmqpConnectionFactory factory;
  private transient ManagedConnection managed;

  public SingleConnectionPool(WarrenResourceAdapter adapter) throws ResourceException {
    WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(adapter);
    factory = (AmqpConnectionFactory) mcf.createConnectionFactory(this);
  }

  @Override
  public synchronized Object allocateConnection(
      ManagedConnectionFactory mcf, ConnectionRequestInfo info) throws ResourceException {
    if (managed == null) {
      managed = mcf.createManagedConnection(null, info);
    }
    return managed.getConnection(null, info);
  }

  public AmqpConnection connection() {
    return factory.getConnection();
  }

  /** The XAResource of the pooled connection (opened by the first {@link #connection}). */
  public synchronized XAResource xaResource() throws ResourceException {
    return managed.getXAResource();
  }

  @Override
  public synchronized void close() throws ResourceException {
    if (managed != null) {
      managed.destroy();
    }
  }
}
