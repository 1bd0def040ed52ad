package dev.warren.rar.adapter.outbound;

import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.rar.adapter.BrokerBackend;
import dev.warren.rar.adapter.tx.ConfirmingChannel;
import dev.warren.rar.adapter.tx.InDoubtBranches;
import dev.warren.rar.adapter.tx.OutboundLocalTransaction;
import dev.warren.rar.adapter.tx.OutboundXAResource;
import dev.warren.rar.adapter.tx.PendingPublish;
import dev.warren.rar.adapter.tx.PreparedBranches;
import dev.warren.rar.api.AmqpException;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.MessageProperties;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled connection to the broker (in-VM to the embedded engine, or to the remote broker) with
 * a confirm-mode channel. Publishes go through the active transaction (XA or local) if there is
 * one, otherwise straight to the broker.
 */
final class WarrenManagedConnection implements ManagedConnection {
  private final BrokerConnection connection;
  private final ConfirmingChannel channel;
  private final OutboundXAResource xaResource;
  private final OutboundLocalTransaction localTransaction;
  private final String user;
  private final Set<WarrenConnection> handles = ConcurrentHashMap.newKeySet();
  private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean destroyed;
  private PrintWriter logWriter;

  WarrenManagedConnection(
      BrokerBackend broker,
      String user,
      PreparedBranches<List<PendingPublish>> branches,
      InDoubtBranches deliveries,
      Duration confirmTimeout)
      throws ResourceException {
    this.user = user;
    try {
      this.connection = broker.connect("warren-rar outbound");
      this.channel = new ConfirmingChannel(connection, broker.alarms(), confirmTimeout);
    } catch (BrokerException e) {
      throw new ResourceException("cannot connect to the broker: " + e.getMessage(), e);
    }
    this.xaResource = new OutboundXAResource(branches, channel, deliveries);
    this.localTransaction = new OutboundLocalTransaction(channel);
  }

  boolean isUsable() {
    return !destroyed;
  }

  // --- operations of the handles

  void publish(String exchange, String routingKey, MessageProperties properties, byte[] body) {
    PendingPublish publish = new PendingPublish(exchange, routingKey, properties, body);
    if (!xaResource.hold(publish) && !localTransaction.hold(publish)) {
      channel.publishAll(List.of(publish));
    }
  }

  void declareExchange(String name, String type, boolean durable) {
    onChannel(
        () -> {
          channel
              .channel()
              .declareExchange(new ExchangeDeclaration(name, type, durable, false, false, null));
          return null;
        });
  }

  String declareQueue(
      String name,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      Map<String, Object> arguments) {
    return onChannel(
        () ->
            channel
                .channel()
                .declareQueue(new QueueDeclaration(name, durable, exclusive, autoDelete, arguments))
                .name());
  }

  void bindQueue(String queue, String exchange, String routingKey) {
    onChannel(
        () -> {
          channel.channel().bindQueue(queue, exchange, routingKey, null);
          return null;
        });
  }

  AmqpMessage rpc(
      String exchange,
      String routingKey,
      MessageProperties properties,
      byte[] body,
      Duration timeout) {
    return onChannel(
        () -> new RpcCall(connection).call(exchange, routingKey, properties, body, timeout));
  }

  private synchronized <T> T onChannel(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (BrokerException e) {
      throw new AmqpException(e.replyCode().code(), e.getMessage(), e);
    }
  }

  void handleClosed(WarrenConnection handle) {
    handles.remove(handle);
    ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
    event.setConnectionHandle(handle);
    listeners.forEach(listener -> listener.connectionClosed(event));
  }

  // --- ManagedConnection

  @Override
  public Object getConnection(Subject subject, ConnectionRequestInfo info) {
    WarrenConnection handle = new WarrenConnection(this);
    handles.add(handle);
    return handle;
  }

  @Override
  public void associateConnection(Object handle) throws ResourceException {
    if (!(handle instanceof WarrenConnection warrenHandle)) {
      throw new ResourceException("not a Warren connection handle: " + handle);
    }
    warrenHandle.reassign(this);
    handles.add(warrenHandle);
  }

  @Override
  public void cleanup() {
    handles.forEach(WarrenConnection::invalidate);
    handles.clear();
  }

  @Override
  public void destroy() {
    destroyed = true;
    cleanup();
    connection.close();
  }

  @Override
  public void addConnectionEventListener(ConnectionEventListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionEventListener(ConnectionEventListener listener) {
    listeners.remove(listener);
  }

  @Override
  public XAResource getXAResource() {
    return xaResource;
  }

  @Override
  public LocalTransaction getLocalTransaction() {
    return localTransaction;
  }

  @Override
  public ManagedConnectionMetaData getMetaData() {
    return new WarrenConnectionMetaData(user);
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    logWriter = out;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }
}
