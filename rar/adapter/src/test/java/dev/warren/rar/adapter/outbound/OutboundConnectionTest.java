package dev.warren.rar.adapter.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.AmqpException;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.MessageProperties;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundConnectionTest {
  @TempDir Path dataDir;

  private RunningAdapter running;
  private Connection client;
  private Channel channel;
  private WarrenManagedConnection managed;
  private AmqpConnectionFactory factory;
  private final String queue = "out-" + UUID.randomUUID();

  /** The container's part: a pool of one managed connection. */
  private final class SingleConnectionManager implements ConnectionManager {
    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
        throws ResourceException {
      if (managed == null) {
        managed = (WarrenManagedConnection) mcf.createManagedConnection(null, info);
      }
      return managed.getConnection(null, info);
    }
  }

  @BeforeEach
  void start() throws Exception {
    running = new RunningAdapter(dataDir);
    client = running.externalClient();
    channel = client.createChannel();
    channel.queueDeclare(queue, true, false, false, null);
    WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(running.adapter);
    factory = (AmqpConnectionFactory) mcf.createConnectionFactory(new SingleConnectionManager());
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  private void publish(AmqpConnection connection, String body) {
    connection.publish(
        "",
        queue,
        MessageProperties.builder().persistent().build(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private int ready() throws Exception {
    return channel.queueDeclarePassive(queue).getMessageCount();
  }

  private static Xid xid(String id) {
    return new Xid() {
      @Override
      public int getFormatId() {
        return 1;
      }

      @Override
      public byte[] getGlobalTransactionId() {
        return id.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public byte[] getBranchQualifier() {
        return new byte[] {7};
      }
    };
  }

  @Test
  void publishWithoutTransactionIsRoutedBeforeItReturns() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      publish(connection, "now");
    }
    assertEquals(1, ready());
  }

  @Test
  void xaPublishIsHeldUntilCommit() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      XAResource xa = managed.getXAResource();
      xa.start(xid("commit"), XAResource.TMNOFLAGS);
      publish(connection, "held");
      xa.end(xid("commit"), XAResource.TMSUCCESS);
      assertEquals(0, ready());

      xa.commit(xid("commit"), true);

      assertEquals(1, ready(), "routed and confirmed when commit returns");
    }
  }

  @Test
  void xaRollbackDropsThePublish() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      XAResource xa = managed.getXAResource();
      xa.start(xid("rollback"), XAResource.TMNOFLAGS);
      publish(connection, "dropped");
      xa.end(xid("rollback"), XAResource.TMFAIL);
      xa.rollback(xid("rollback"));
    }
    assertEquals(0, ready());
  }

  @Test
  void branchPreparedBeforeARestartIsCommittedThroughTheAdaptersRecoveryResource()
      throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      XAResource xa = managed.getXAResource();
      xa.start(xid("in-doubt"), XAResource.TMNOFLAGS);
      publish(connection, "promised");
      xa.end(xid("in-doubt"), XAResource.TMSUCCESS);
      assertEquals(XAResource.XA_OK, xa.prepare(xid("in-doubt")));
    }
    int port = running.port;
    running.close();

    running = new RunningAdapter(dataDir, port);
    client = running.externalClient();
    channel = client.createChannel();
    channel.queueDeclare(queue, true, false, false, null);
    XAResource recovery = running.adapter.getXAResources(null)[0];
    Xid[] inDoubt = recovery.recover(XAResource.TMSTARTRSCAN);
    assertEquals(1, inDoubt.length);

    recovery.commit(inDoubt[0], false);

    assertEquals(0, recovery.recover(XAResource.TMSTARTRSCAN).length);
    assertEquals(
        "promised", new String(channel.basicGet(queue, true).getBody(), StandardCharsets.UTF_8));
  }

  @Test
  void localTransactionRoutesAtCommitAndDropsAtRollback() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      managed.getLocalTransaction().begin();
      publish(connection, "dropped");
      managed.getLocalTransaction().rollback();
      managed.getLocalTransaction().begin();
      publish(connection, "kept");
      assertEquals(0, ready());
      managed.getLocalTransaction().commit();
    }
    assertEquals(1, ready());
    assertEquals(
        "kept", new String(channel.basicGet(queue, true).getBody(), StandardCharsets.UTF_8));
  }

  @Test
  void rpcWaitsForTheReplyWithItsCorrelationId() throws Exception {
    channel.basicConsume(
        queue,
        true,
        (tag, request) -> {
          AMQP.BasicProperties props = request.getProperties();
          // a stray reply with another id first: it must be ignored
          channel.basicPublish(
              "",
              props.getReplyTo(),
              new AMQP.BasicProperties.Builder().correlationId("other").build(),
              new byte[] {0});
          channel.basicPublish(
              "",
              props.getReplyTo(),
              new AMQP.BasicProperties.Builder().correlationId(props.getCorrelationId()).build(),
              ("re: " + new String(request.getBody(), StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8));
        },
        tag -> {});

    try (AmqpConnection connection = factory.getConnection()) {
      AmqpMessage reply =
          connection.rpc(
              "", queue, null, "ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
      assertEquals("re: ping", reply.bodyAsString());
    }
  }

  @Test
  void rpcWithoutAnswerTimesOut() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      AmqpException e =
          assertThrows(
              AmqpException.class,
              () -> connection.rpc("", queue, null, new byte[0], Duration.ofMillis(200)));
      assertEquals(0, e.replyCode());
    }
  }

  @Test
  void brokerRefusalCarriesTheReplyCode() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      AmqpException e =
          assertThrows(
              AmqpException.class, () -> connection.bindQueue(queue, "no-such-exchange", "k"));
      assertEquals(404, e.replyCode());
      assertEquals(
          "declared",
          connection
              .declareQueue("declared-" + queue, false, false, true, Map.of())
              .substring(0, 8));
    }
  }

  @Test
  void publishToAMissingExchangeFailsTheCommitAndTheNextCommitIsConfirmedAtOnce() throws Exception {
    try (AmqpConnection connection = factory.getConnection()) {
      XAResource xa = managed.getXAResource();
      xa.start(xid("missing"), XAResource.TMNOFLAGS);
      connection.publish("no-such-exchange", "k", MessageProperties.EMPTY, new byte[] {1});
      xa.end(xid("missing"), XAResource.TMSUCCESS);
      assertThrows(XAException.class, () -> xa.commit(xid("missing"), true));

      xa.start(xid("next"), XAResource.TMNOFLAGS);
      publish(connection, "next");
      xa.end(xid("next"), XAResource.TMSUCCESS);
      long started = System.nanoTime();
      xa.commit(xid("next"), true);

      // the refused publish got no confirm number from the broker, so none is waited for
      assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
      assertEquals(1, ready());
    }
  }
}
