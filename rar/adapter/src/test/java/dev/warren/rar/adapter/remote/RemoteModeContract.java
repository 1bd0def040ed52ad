package dev.warren.rar.adapter.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.warren.rar.adapter.inbound.ActivationConfig;
import dev.warren.rar.adapter.inbound.AmqpActivationSpec;
import dev.warren.rar.adapter.testsupport.ExternalBroker;
import dev.warren.rar.adapter.testsupport.Poll;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory.RollbackOnly;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.adapter.testsupport.SingleConnectionPool;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.MessageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the adapter promises in remote mode, run against each kind of external broker (the
 * subclasses): MDBs consume with manual acks after the container's commit and requeue on rollback;
 * the connection factory publishes at commit with publisher confirms, and the commit fails when the
 * broker refuses; after the broker restarts, MDBs and the connection factory carry on.
 */
abstract class RemoteModeContract {
  static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  RunningAdapter running;
  SingleConnectionPool pool;
  final String queue = "remote-" + UUID.randomUUID();

  /** The broker under test, started once per class by the subclass. */
  abstract ExternalBroker broker();

  @BeforeEach
  void startAdapter() throws Exception {
    running = RunningAdapter.remote(dataDir, broker().port(), this::configure);
    pool = new SingleConnectionPool(running.adapter);
  }

  /** Further adapter properties of a subclass. */
  void configure(dev.warren.rar.adapter.WarrenResourceAdapter adapter) {}

  @AfterEach
  void stopAdapter() throws Exception {
    pool.close();
    running.close();
  }

  // --- helpers: the test's own client, a fresh connection each time (the broker may restart)

  interface ChannelWork<T> {
    T apply(Channel channel) throws IOException;
  }

  <T> T onChannel(ChannelWork<T> work) {
    try (Connection connection = broker().client("remote-mode-test")) {
      return work.apply(connection.createChannel());
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  void publish(String routingKey, String body) {
    onChannel(
        c -> {
          c.confirmSelect();
          c.basicPublish(
              "",
              routingKey,
              new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
              body.getBytes(StandardCharsets.UTF_8));
          waitForConfirms(c);
          return null;
        });
  }

  private static void waitForConfirms(Channel channel) {
    try {
      channel.waitForConfirmsOrDie(10_000);
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int messagesIn(String name) {
    return onChannel(c -> c.queueDeclarePassive(name).getMessageCount());
  }

  int consumersOf(String name) {
    return onChannel(c -> c.queueDeclarePassive(name).getConsumerCount());
  }

  String take(String name) {
    GetResponse response = onChannel(c -> c.basicGet(name, true));
    return response == null ? null : new String(response.getBody(), StandardCharsets.UTF_8);
  }

  void declare(String name, Map<String, Object> arguments) {
    onChannel(c -> c.queueDeclare(name, true, false, false, arguments));
  }

  AmqpActivationSpec spec() {
    AmqpActivationSpec spec = new AmqpActivationSpec();
    spec.setQueue(queue);
    return spec;
  }

  RecordingEndpointFactory activate(
      AmqpActivationSpec spec, boolean transacted, Consumer<AmqpMessage> listener)
      throws Exception {
    RecordingEndpointFactory factory = new RecordingEndpointFactory(transacted, listener);
    running.adapter.endpointActivation(factory, spec);
    return factory;
  }

  void publishThroughTheFactory(String routingKey, String body) {
    try (AmqpConnection connection = pool.connection()) {
      connection.publish(
          "",
          routingKey,
          MessageProperties.builder().persistent().build(),
          body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** One XA transaction of the connection factory, as the container runs it. */
  void inTransaction(Xid xid, Runnable work, boolean commit) throws Exception {
    try (AmqpConnection connection = pool.connection()) {
      XAResource xa = pool.xaResource();
      xa.start(xid, XAResource.TMNOFLAGS);
      work.run();
      xa.end(xid, XAResource.TMSUCCESS);
      if (commit) {
        xa.commit(xid, true);
      } else {
        xa.rollback(xid);
      }
    }
  }

  record TestXid(int id) implements Xid {
    @Override
    public int getFormatId() {
      return 4711;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return ("remote-" + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] getBranchQualifier() {
      return new byte[] {1};
    }
  }

  // --- inbound

  @Test
  void transactedMdbConsumesFromTheRemoteBrokerAndItsCommitAcks() throws Exception {
    AmqpActivationSpec spec = spec();
    RecordingEndpointFactory mdb = activate(spec, true, m -> {});

    publish(queue, "hello remote");

    Poll.until("delivery", () -> mdb.received.size() == 1);
    AmqpMessage message = mdb.received.get(0);
    assertEquals("hello remote", message.bodyAsString());
    assertEquals(queue, message.routingKey());
    assertFalse(message.redelivered());
    Poll.until("commit", () -> mdb.after.get() == 1);
    running.adapter.endpointDeactivation(mdb, spec);
    assertEquals(0, messagesIn(queue), "acked at commit, so not requeued by the undeploy");
  }

  @Test
  void rollbackRedeliversACopyThatCountsTheFailedDelivery() throws Exception {
    AmqpActivationSpec spec = spec();
    RecordingEndpointFactory mdb =
        activate(
            spec,
            true,
            m -> {
              if (m.deliveryCount() == 1) {
                throw new RollbackOnly();
              }
            });

    publish(queue, "retry me");

    Poll.until("redelivery", () -> mdb.received.size() == 2);
    AmqpMessage second = mdb.received.get(1);
    assertTrue(second.redelivered());
    assertEquals(2, second.deliveryCount());
    assertEquals("retry me", second.bodyAsString());
    assertEquals(queue, second.routingKey());
    Poll.until("settled", () -> mdb.after.get() == 2);
    running.adapter.endpointDeactivation(mdb, spec);
    assertEquals(0, messagesIn(queue));
  }

  @Test
  void poisonMessageIsParkedAfterMaxDeliveries() throws Exception {
    AmqpActivationSpec spec = spec();
    spec.setMaxDeliveries(2);
    String body = "poison-" + UUID.randomUUID();
    RecordingEndpointFactory mdb =
        activate(
            spec,
            true,
            m -> {
              throw new IllegalStateException("always fails");
            });

    publish(queue, body);

    Poll.until(
        "the poison message parked",
        () -> body.equals(take(ActivationConfig.PARKING_QUEUE)) || mdb.received.size() > 2);
    assertEquals(2, mdb.received.size());
    running.adapter.endpointDeactivation(mdb, spec);
    assertEquals(0, messagesIn(queue));
  }

  // --- outbound

  @Test
  void publishInAnXaTransactionIsHeldUntilTheCommit() throws Exception {
    declare(queue, null);
    CountDownLatch published = new CountDownLatch(1);

    inTransaction(
        new TestXid(1),
        () -> {
          publishThroughTheFactory(queue, "at commit");
          assertEquals(0, messagesIn(queue), "held until the commit");
          published.countDown();
        },
        true);

    assertEquals(0, published.getCount());
    assertEquals("at commit", take(queue), "routed and confirmed before the commit returned");
  }

  @Test
  void publishOfARolledBackTransactionNeverReachesTheBroker() throws Exception {
    declare(queue, null);

    inTransaction(new TestXid(2), () -> publishThroughTheFactory(queue, "never"), false);
    publishThroughTheFactory(queue, "without a transaction");

    assertEquals("without a transaction", take(queue));
    assertEquals(0, messagesIn(queue));
  }

  @Test
  void commitFailsWhenTheBrokerNacksThePublish() throws Exception {
    declare(queue, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));

    XAException refused =
        assertThrows(
            XAException.class,
            () -> inTransaction(new TestXid(3), () -> publishThroughTheFactory(queue, "x"), true));

    assertEquals(XAException.XA_RBROLLBACK, refused.errorCode);
  }

  @Test
  void commitToAMissingExchangeFailsAndTheConnectionStaysUsable() throws Exception {
    declare(queue, null);
    String missing = "missing-" + UUID.randomUUID();

    assertThrows(
        XAException.class,
        () ->
            inTransaction(
                new TestXid(4),
                () -> {
                  try (AmqpConnection connection = pool.connection()) {
                    connection.publish(missing, "", MessageProperties.EMPTY, new byte[] {1});
                  }
                },
                true));
    inTransaction(new TestXid(5), () -> publishThroughTheFactory(queue, "next"), true);

    assertEquals("next", take(queue));
  }

  @Test
  void rpcGetsTheReplyOfARemoteServer() throws Exception {
    String requests = queue;
    declare(requests, null);
    try (Connection server = broker().client("rpc-server")) {
      Channel channel = server.createChannel();
      channel.basicConsume(
          requests,
          true,
          (tag, delivery) ->
              channel.basicPublish(
                  "",
                  delivery.getProperties().getReplyTo(),
                  new AMQP.BasicProperties.Builder()
                      .correlationId(delivery.getProperties().getCorrelationId())
                      .build(),
                  ("re: " + new String(delivery.getBody(), StandardCharsets.UTF_8))
                      .getBytes(StandardCharsets.UTF_8)),
          tag -> {});

      AmqpMessage reply;
      try (AmqpConnection connection = pool.connection()) {
        reply =
            connection.rpc(
                "",
                requests,
                MessageProperties.EMPTY,
                "ping".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(10));
      }

      assertEquals("re: ping", reply.bodyAsString());
    }
  }

  // --- a broker restart

  @Test
  void mdbAndConnectionFactoryCarryOnAfterTheBrokerRestarts() throws Exception {
    AmqpActivationSpec spec = spec();
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    activate(spec, true, m -> bodies.add(m.bodyAsString()));
    publish(queue, "before");
    assertEquals("before", bodies.poll(10, TimeUnit.SECONDS));

    broker().restart();

    Poll.until("the MDB's consumer back", RESTART_TIMEOUT, () -> consumersOf(queue) == 1);
    publish(queue, "after");
    String next = bodies.poll(30, TimeUnit.SECONDS);
    if ("before".equals(next)) {
      // the at-least-once window: the MDB's ack, sent after its commit, may not have reached the
      // broker before it stopped, and then "before" comes again (once)
      next = bodies.poll(30, TimeUnit.SECONDS);
    }
    assertEquals("after", next);
    // the pooled outbound connection recovered as well
    Poll.until(
        "a publish through the factory after the restart",
        RESTART_TIMEOUT,
        () -> {
          try {
            publishThroughTheFactory(queue, "from the factory");
            return true;
          } catch (RuntimeException e) {
            return false; // its connection is still recovering
          }
        });
    assertEquals("from the factory", bodies.poll(30, TimeUnit.SECONDS));
  }

  @Test
  void deliveryInProgressDuringARestartIsRedeliveredAndSettledOnce() throws Exception {
    AmqpActivationSpec spec = spec();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    RecordingEndpointFactory mdb =
        activate(
            spec,
            true,
            m -> {
              if (!m.redelivered()) {
                inside.countDown();
                await(proceed);
              }
            });
    publish(queue, "in flight");
    assertTrue(inside.await(10, TimeUnit.SECONDS));

    broker().restart();
    Poll.until("the MDB's consumer back", RESTART_TIMEOUT, () -> consumersOf(queue) == 1);
    proceed.countDown(); // commits: its ack belongs to the lost connection and is not sent

    Poll.until("the redelivery", RESTART_TIMEOUT, () -> mdb.received.size() == 2);
    assertTrue(mdb.received.get(1).redelivered());
    Poll.until("both settled", () -> mdb.after.get() == 2);
    running.adapter.endpointDeactivation(mdb, spec);
    assertEquals(0, messagesIn(queue), "acked once, and no retry copy");
    assertEquals(2, mdb.received.size());
  }

  static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(60, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
