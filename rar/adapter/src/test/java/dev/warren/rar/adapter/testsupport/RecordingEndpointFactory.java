package dev.warren.rar.adapter.testsupport;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * MDB endpoints as a container makes them: a proxy that, when transacted, starts a branch on the
 * adapter's XAResource in beforeDelivery and commits or rolls it back in afterDelivery, the way
 * Payara does (spike §6). A throwing listener means rollback (unless it throws {@link
 * ComponentShuttingDown}), and so does {@link RollbackOnly}.
 */
public final class RecordingEndpointFactory implements MessageEndpointFactory {
  /** How the container ends a successful delivery's transaction. */
  public enum Completion {
    /** The adapter's resource alone: commit(onePhase=true). */
    ONE_PHASE,
    /** Another resource in the transaction too: prepare, then commit(onePhase=false). */
    TWO_PHASE,
    /**
     * The server dies after prepare: no commit ever comes (the Xid is kept in {@link #prepared}).
     */
    PREPARE_THEN_CRASH
  }

  private final boolean transacted;
  private volatile Completion completion = Completion.ONE_PHASE;
  public final List<Xid> prepared = new CopyOnWriteArrayList<>();
  private final Consumer<AmqpMessage> listener;
  public final List<AmqpMessage> received = new CopyOnWriteArrayList<>();
  public final AtomicInteger before = new AtomicInteger();
  public final AtomicInteger after = new AtomicInteger();

  /** afterDelivery calls that returned: their transaction is completed (or prepared only). */
  public final AtomicInteger completed = new AtomicInteger();

  public final AtomicInteger released = new AtomicInteger();
  private final AtomicInteger xids = new AtomicInteger();

  public RecordingEndpointFactory(boolean transacted, Consumer<AmqpMessage> listener) {
    this.transacted = transacted;
    this.listener = listener;
  }

  /** How successful deliveries end from now on. */
  public RecordingEndpointFactory completing(Completion how) {
    completion = how;
    return this;
  }

  /** Thrown by a listener to roll back without it counting as an application error. */
  public static final class RollbackOnly extends RuntimeException {}

  /**
   * Thrown by a listener as WildFly refuses an MDB call once its component is shutting down (before
   * it deactivates the endpoint): the refusal comes before the container's transaction interceptor,
   * so the transaction is not marked rollback-only and afterDelivery commits it.
   */
  public static final class ComponentShuttingDown extends RuntimeException {}

  public List<String> bodies() {
    return received.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
  }

  @Override
  public MessageEndpoint createEndpoint(XAResource xaResource) {
    return (MessageEndpoint)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MessageEndpoint.class, AmqpMessageListener.class},
            new Endpoint(xaResource));
  }

  @Override
  public MessageEndpoint createEndpoint(XAResource xaResource, long timeout)
      throws UnavailableException {
    return createEndpoint(xaResource);
  }

  @Override
  public boolean isDeliveryTransacted(Method method) {
    return transacted;
  }

  @Override
  public String getActivationName() {
    return "recording-mdb";
  }

  @Override
  public Class<?> getEndpointClass() {
    return null;
  }

  private final class Endpoint implements InvocationHandler {
    private final XAResource xaResource;
    private Xid xid;
    private boolean failed;

    Endpoint(XAResource xaResource) {
      this.xaResource = transacted ? xaResource : null;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "beforeDelivery" -> {
          before.incrementAndGet();
          failed = false;
          if (xaResource != null) {
            xid = new TestXid(xids.incrementAndGet());
            xaResource.start(xid, XAResource.TMNOFLAGS);
          }
        }
        case "onMessage" -> {
          AmqpMessage message = (AmqpMessage) args[0];
          received.add(message);
          try {
            listener.accept(message);
          } catch (RuntimeException e) {
            failed = !(e instanceof ComponentShuttingDown);
            if (!(e instanceof RollbackOnly)) {
              throw e;
            }
          }
        }
        case "afterDelivery" -> {
          after.incrementAndGet();
          if (xaResource != null) {
            finish();
          }
          completed.incrementAndGet();
        }
        case "release" -> released.incrementAndGet();
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "toString" -> {
          return "recording endpoint";
        }
        default -> throw new UnsupportedOperationException(method.getName());
      }
      return null;
    }

    private void finish() throws XAException {
      xaResource.end(xid, failed ? XAResource.TMFAIL : XAResource.TMSUCCESS);
      if (failed) {
        xaResource.rollback(xid);
        return;
      }
      switch (completion) {
        case ONE_PHASE -> xaResource.commit(xid, true);
        case TWO_PHASE -> {
          xaResource.prepare(xid);
          xaResource.commit(xid, false);
        }
        case PREPARE_THEN_CRASH -> {
          xaResource.prepare(xid);
          prepared.add(xid);
        }
      }
    }
  }

  private record TestXid(int id) implements Xid {
    @Override
    public int getFormatId() {
      return 99;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return ("test-" + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] getBranchQualifier() {
      return new byte[] {1};
    }
  }
}
