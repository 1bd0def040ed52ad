package dev.warren.rar.adapter.outbound;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.AmqpException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/** What applications get injected: asks the container's connection manager for a handle. */
public final class WarrenConnectionFactory implements AmqpConnectionFactory {
  private static final long serialVersionUID = 1L;

  private final WarrenManagedConnectionFactory managedFactory;
  private final transient ConnectionManager manager;
  private Reference reference;

  WarrenConnectionFactory(
      WarrenManagedConnectionFactory managedFactory, ConnectionManager manager) {
    this.managedFactory = managedFactory;
    this.manager = manager;
  }

  @Override
  public AmqpConnection getConnection() {
    try {
      return (AmqpConnection) manager.allocateConnection(managedFactory, null);
    } catch (ResourceException e) {
      throw new AmqpException(0, "no Warren connection available: " + e.getMessage(), e);
    }
  }

  @Override
  public void setReference(Reference reference) {
    this.reference = reference;
  }

  @Override
  public Reference getReference() {
    return reference;
  }
}
