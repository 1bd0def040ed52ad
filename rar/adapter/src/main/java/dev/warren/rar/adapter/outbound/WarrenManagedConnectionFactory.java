package dev.warren.rar.adapter.outbound;

import dev.warren.rar.adapter.WarrenResourceAdapter;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * Creates the pooled connections behind {@link AmqpConnectionFactory}. Pooling is the container's
 * job; every managed connection is interchangeable, so matching takes any of them.
 */
@ConnectionDefinition(
    connectionFactory = AmqpConnectionFactory.class,
    connectionFactoryImpl = WarrenConnectionFactory.class,
    connection = AmqpConnection.class,
    connectionImpl = WarrenConnection.class)
public class WarrenManagedConnectionFactory
    implements ManagedConnectionFactory, ResourceAdapterAssociation {
  private static final long serialVersionUID = 1L;

  private transient WarrenResourceAdapter adapter;
  private transient PrintWriter logWriter;

  @Override
  public Object createConnectionFactory(ConnectionManager manager) {
    return new WarrenConnectionFactory(this, manager);
  }

  @Override
  public Object createConnectionFactory() throws ResourceException {
    throw new ResourceException(
        "Warren connections are only available inside an application server");
  }

  @Override
  public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
      throws ResourceException {
    WarrenResourceAdapter adapter = adapter();
    return new WarrenManagedConnection(
        adapter.backend(),
        adapter.getDefaultUser(),
        adapter.preparedBranches(),
        adapter.preparedDeliveries(),
        adapter.confirmTimeout());
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ManagedConnection matchManagedConnections(
      Set connections, Subject subject, ConnectionRequestInfo info) {
    for (Object candidate : connections) {
      if (candidate instanceof WarrenManagedConnection connection && connection.isUsable()) {
        return connection;
      }
    }
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return adapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter ra) {
    adapter = (WarrenResourceAdapter) ra;
  }

  private WarrenResourceAdapter adapter() throws ResourceException {
    if (adapter == null) {
      throw new ResourceException("connection factory is not associated with the Warren adapter");
    }
    return adapter;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WarrenManagedConnectionFactory that
        && Objects.equals(adapter, that.adapter);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(adapter);
  }
}
