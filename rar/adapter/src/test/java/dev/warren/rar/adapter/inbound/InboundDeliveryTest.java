package dev.warren.rar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.warren.rar.adapter.testsupport.ManagementApi;
import dev.warren.rar.adapter.testsupport.Poll;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory.Completion;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory.ComponentShuttingDown;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory.RollbackOnly;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.api.AmqpMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InboundDeliveryTest {
  @TempDir Path dataDir;

  private RunningAdapter running;
  private Connection client;
  private Channel channel;
  private final String queue = "q-" + UUID.randomUUID();

  @BeforeEach
  void start() throws Exception {
    running = new RunningAdapter(dataDir);
    client = running.externalClient();
    channel = client.createChannel();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  private AmqpActivationSpec spec() {
    AmqpActivationSpec spec = new AmqpActivationSpec();
    spec.setQueue(queue);
    return spec;
  }

  private RecordingEndpointFactory activate(
      AmqpActivationSpec spec, boolean transacted, Consumer<AmqpMessage> listener)
      throws Exception {
    RecordingEndpointFactory factory = new RecordingEndpointFactory(transacted, listener);
    running.adapter.endpointActivation(factory, spec);
    return factory;
  }

  private void publish(String body) throws Exception {
    channel.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
  }

  private int messagesIn(String name) throws Exception {
    return channel.queueDeclarePassive(name).getMessageCount();
  }

  /** Undeploys the MDB: anything it left unacknowledged is back in the queue afterwards. */
  private void deactivate(RecordingEndpointFactory mdb, AmqpActivationSpec spec) {
    running.adapter.endpointDeactivation(mdb, spec);
  }

  /**
   * Undeploys while the MDB holds a delivery, and lets the MDB go on ({@code release}) only once
   * the undeploy waits for it, so that the undeploy cannot race through the rest.
   */
  private void undeployReleasingTheDeliveryInProgress(
      RecordingEndpointFactory mdb, AmqpActivationSpec spec, CountDownLatch release)
      throws InterruptedException {
    Thread undeploy = new Thread(() -> deactivate(mdb, spec), "undeploy");
    undeploy.start();
    Poll.until(
        "undeploy waiting for the delivery in progress",
        () -> undeploy.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    undeploy.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(undeploy.isAlive());
  }

  @Test
  void mdbReceivesWhatAnExternalClientPublishesAndTheMessageIsAcked() throws Exception {
    AmqpActivationSpec spec = spec();
    RecordingEndpointFactory mdb = activate(spec, false, m -> {});

    publish("hello");

    Poll.until("delivery", () -> mdb.received.size() == 1);
    AmqpMessage message = mdb.received.get(0);
    assertEquals("hello", message.bodyAsString());
    assertEquals(queue, message.routingKey());
    assertFalse(message.redelivered());
    Poll.until("settled", () -> mdb.after.get() == 1);
    deactivate(mdb, spec);
    assertEquals(0, messagesIn(queue), "acked, so not requeued by the undeploy");
  }

  @Test
  void transactedRollbackRequeuesTheMessageAsRedelivered() throws Exception {
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

    publish("retry me");

    Poll.until("redelivery", () -> mdb.received.size() == 2);
    AmqpMessage second = mdb.received.get(1);
    assertTrue(second.redelivered());
    assertEquals(2, second.deliveryCount());
    assertEquals("retry me", second.bodyAsString());
    assertEquals(queue, second.routingKey(), "the retry copy keeps the original routing key");
    Poll.until("settled", () -> mdb.after.get() == 2);
    deactivate(mdb, spec);
    assertEquals(0, messagesIn(queue), "acked at commit, so not requeued by the undeploy");
  }

  @Test
  void beforeAndAfterDeliveryArePairedEvenWhenOnMessageThrows() throws Exception {
    AmqpActivationSpec spec = spec();
    spec.setMaxDeliveries(2);
    RecordingEndpointFactory mdb =
        activate(
            spec,
            false,
            m -> {
              throw new IllegalStateException("boom");
            });

    publish("fails");

    Poll.until("two attempts", () -> mdb.received.size() == 2);
    Poll.until("pairing", () -> mdb.after.get() == 2);
    assertEquals(2, mdb.before.get());
  }

  @Test
  void poisonMessageIsParkedAfterMaxDeliveries() throws Exception {
    AmqpActivationSpec spec = spec();
    spec.setMaxDeliveries(3);
    String body = "poison-" + UUID.randomUUID();
    RecordingEndpointFactory mdb =
        activate(
            spec,
            true,
            m -> {
              throw new IllegalStateException("always fails");
            });

    publish(body);

    Poll.until("parking", () -> count(ActivationConfig.PARKING_QUEUE) > 0);
    GetResponse parked = channel.basicGet(ActivationConfig.PARKING_QUEUE, true);
    assertEquals(body, new String(parked.getBody(), StandardCharsets.UTF_8));
    assertEquals(queue, parked.getProps().getHeaders().get("x-warren-parked-from").toString());
    assertEquals(3, mdb.received.size());
    deactivate(mdb, spec);
    assertEquals(0, messagesIn(queue), "the original was acked when it was parked");
  }

  @Test
  void poisonMessageGoesToTheQueuesDeadLetterExchange() throws Exception {
    String dlq = channel.queueDeclare().getQueue();
    channel.exchangeDeclare("dlx-" + queue, "fanout");
    channel.queueBind(dlq, "dlx-" + queue, "");
    AmqpActivationSpec spec = spec();
    spec.setMaxDeliveries(1);
    spec.setQueueArguments("x-dead-letter-exchange=dlx-" + queue);
    activate(
        spec,
        false,
        m -> {
          throw new IllegalStateException("always fails");
        });

    publish("dead");

    Poll.until("dead-lettering", () -> count(dlq) == 1);
    assertEquals("dead", new String(channel.basicGet(dlq, true).getBody(), StandardCharsets.UTF_8));
  }

  @Test
  void concurrentConsumersShareTheQueue() throws Exception {
    AmqpActivationSpec spec = spec();
    spec.setPrefetch(1);
    spec.setMaxConcurrency(2);
    CountDownLatch bothInside = new CountDownLatch(2);
    RecordingEndpointFactory mdb =
        activate(
            spec,
            false,
            m -> {
              bothInside.countDown();
              await(bothInside);
            });

    publish("one");
    publish("two");

    assertTrue(bothInside.await(10, TimeUnit.SECONDS), "two endpoints worked at the same time");
    Poll.until("both settled", () -> mdb.after.get() == 2);
    deactivate(mdb, spec);
    assertEquals(0, messagesIn(queue));
    assertEquals(2, mdb.received.size());
  }

  @Test
  void deactivationCancelsTheConsumerAndRequeuesWhatWasNotAcked() throws Exception {
    AmqpActivationSpec spec = spec();
    spec.setPrefetch(5);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    RecordingEndpointFactory mdb =
        activate(
            spec,
            false,
            m -> {
              inside.countDown();
              await(proceed);
            });
    for (int i = 0; i < 5; i++) {
      publish("m" + i);
    }
    assertTrue(inside.await(10, TimeUnit.SECONDS));

    undeployReleasingTheDeliveryInProgress(mdb, spec, proceed);

    AMQP.Queue.DeclareOk state = channel.queueDeclarePassive(queue);
    assertEquals(0, state.getConsumerCount());
    assertEquals(4, state.getMessageCount(), "the one in progress was acked, the rest requeued");
    assertEquals(1, mdb.received.size());
    assertTrue(mdb.released.get() >= 1, "endpoint released");
  }

  @Test
  void everyCommittedDeliveryIsAckedOnceWhenItsAckIsHandedOverInABatch() throws Exception {
    running.close();
    int managementPort = RunningAdapter.freePort();
    running =
        new RunningAdapter(
            dataDir.resolve("with-management"),
            adapter -> {
              adapter.setManagementPort(managementPort);
              adapter.setManagementBindAddress("127.0.0.1");
            });
    client = running.externalClient();
    channel = client.createChannel();
    AmqpActivationSpec spec = spec();
    spec.setPrefetch(100); // acks go to another thread 25 at a time
    RecordingEndpointFactory mdb = activate(spec, true, m -> {});
    int messages = 2_000;
    for (int i = 0; i < messages; i++) {
      publish("m" + i);
    }

    Poll.until("all committed", () -> mdb.after.get() == messages);
    // no ack left behind with the MDB still deployed, the last, partial batch included
    Poll.until("all acked", () -> unacknowledged(managementPort).equals("0"));
    deactivate(mdb, spec);
    assertEquals(0, messagesIn(queue), "every one acked, so none requeued by the undeploy");
    assertEquals(messages, mdb.received.size());
    assertTrue(mdb.received.stream().noneMatch(AmqpMessage::redelivered));
  }

  @Test
  void undeployDuringAStreamAcksEveryCommittedDeliveryAndRequeuesTheRest() throws Exception {
    AmqpActivationSpec spec = spec();
    spec.setPrefetch(100);
    CountDownLatch halfway = new CountDownLatch(1);
    RecordingEndpointFactory mdb =
        activate(
            spec,
            true,
            m -> {
              if (m.bodyAsString().equals("m500")) {
                halfway.countDown();
              }
            });
    int messages = 3_000;
    for (int i = 0; i < messages; i++) {
      publish("m" + i);
    }
    assertTrue(halfway.await(30, TimeUnit.SECONDS));

    deactivate(mdb, spec);

    int committed = mdb.after.get();
    assertEquals(mdb.received.size(), committed, "the delivery in progress finished");
    assertEquals(
        messages - committed,
        messagesIn(queue),
        "the committed ones acked (batches handed over included), the others requeued");
  }

  /**
   * WildFly refuses the MDB's calls from the moment its component starts shutting down until it
   * deactivates the endpoint, and commits the transaction of a refused call: the adapter must not
   * take that commit for the message's processing (how WildFlyLifecycleIT can lose orders).
   */
  @ParameterizedTest
  @EnumSource(
      value = Completion.class,
      names = {"ONE_PHASE", "TWO_PHASE"})
  void aDeliveryRefusedAtUndeployIsNotAckedAndReachesTheRedeployedMdb(Completion completion)
      throws Exception {
    AmqpActivationSpec spec = spec();
    Set<String> processed = ConcurrentHashMap.newKeySet();
    CountDownLatch refusing = new CountDownLatch(1);
    CountDownLatch undeployWaits = new CountDownLatch(1);
    RecordingEndpointFactory first =
        new RecordingEndpointFactory(
                true,
                m -> {
                  if (m.bodyAsString().equals("m3") && refusing.getCount() > 0) {
                    refusing.countDown();
                    await(undeployWaits);
                    throw new ComponentShuttingDown();
                  }
                  processed.add(m.bodyAsString());
                })
            .completing(completion);
    running.adapter.endpointActivation(first, spec);
    int messages = 20;
    for (int i = 0; i < messages; i++) {
      publish("m" + i);
    }
    assertTrue(refusing.await(10, TimeUnit.SECONDS));

    undeployReleasingTheDeliveryInProgress(first, spec, undeployWaits);
    RecordingEndpointFactory second =
        new RecordingEndpointFactory(true, m -> processed.add(m.bodyAsString()))
            .completing(completion);
    running.adapter.endpointActivation(second, spec);

    Poll.until("every message processed", () -> processed.size() == messages);
    assertTrue(second.bodies().contains("m3"), "the refused delivery came again");
  }

  /** The queue's messages_unacknowledged, as the management API gives it. */
  private String unacknowledged(int managementPort) {
    try {
      String body = ManagementApi.get(managementPort, "/api/queues/%2F/" + queue).body();
      Matcher count = Pattern.compile("\"messages_unacknowledged\":(\\d+)").matcher(body);
      return count.find() ? count.group(1) : body;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void headersAndPropertiesReachTheListener() throws Exception {
    RecordingEndpointFactory mdb = activate(spec(), false, m -> {});

    channel.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder()
            .contentType("text/plain")
            .correlationId("c-1")
            .headers(Map.of("tenant", "acme"))
            .build(),
        new byte[] {1, 2});

    Poll.until("delivery", () -> mdb.received.size() == 1);
    AmqpMessage message = mdb.received.get(0);
    assertEquals("text/plain", message.properties().contentType());
    assertEquals("c-1", message.properties().correlationId());
    assertEquals("acme", String.valueOf(message.headers().get("tenant")));
  }

  private int count(String name) {
    try {
      return messagesIn(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
