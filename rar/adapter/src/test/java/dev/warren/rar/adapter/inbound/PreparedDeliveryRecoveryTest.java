package dev.warren.rar.adapter.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.warren.rar.adapter.testsupport.Poll;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory.Completion;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.adapter.tx.StoredXid;
import dev.warren.rar.api.AmqpMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MDB's ack and its transaction's other work: the server "dies" after the transaction manager
 * prepared the delivery's branch and before it committed it (the adapter stops without a commit,
 * which leaves the message unacknowledged in the store, as a kill would). After the restart the
 * message reaches no consumer until the transaction manager's recovery decides, through the
 * XAResource the adapter gives the server for recovery.
 */
class PreparedDeliveryRecoveryTest {
  @TempDir Path dataDir;

  private final String queue = "q-" + UUID.randomUUID();
  private RunningAdapter running;

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
  }

  private AmqpActivationSpec spec() {
    AmqpActivationSpec spec = new AmqpActivationSpec();
    spec.setQueue(queue);
    return spec;
  }

  private RecordingEndpointFactory activate(Completion completion) throws Exception {
    RecordingEndpointFactory mdb =
        new RecordingEndpointFactory(true, m -> {}).completing(completion);
    running.adapter.endpointActivation(mdb, spec());
    return mdb;
  }

  private void publish(String body, AMQP.BasicProperties properties) throws Exception {
    try (Connection client = running.externalClient();
        Channel channel = client.createChannel()) {
      channel.basicPublish("", queue, properties, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Delivers one persistent message to an MDB whose server dies after the prepare. */
  private Xid preparedThenCrashed(AMQP.BasicProperties properties) throws Exception {
    running = new RunningAdapter(dataDir);
    RecordingEndpointFactory mdb = activate(Completion.PREPARE_THEN_CRASH);
    publish("the order", properties);
    Poll.until("the prepare", () -> mdb.prepared.size() == 1);
    Xid xid = mdb.prepared.get(0);
    running.close();
    running = new RunningAdapter(dataDir);
    return xid;
  }

  private XAResource recoveryResource() throws Exception {
    return running.adapter.getXAResources(null)[0];
  }

  private List<Xid> inDoubt() throws Exception {
    return Arrays.asList(
        recoveryResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
  }

  private int messagesInQueue() throws Exception {
    try (Connection client = running.externalClient();
        Channel channel = client.createChannel()) {
      return channel.queueDeclarePassive(queue).getMessageCount();
    }
  }

  private boolean basicGetFindsNothing() throws Exception {
    try (Connection client = running.externalClient();
        Channel channel = client.createChannel()) {
      return channel.basicGet(queue, true) == null;
    }
  }

  /** A second message reaches the MDB: the first one, held, would have come before it. */
  private RecordingEndpointFactory mdbThatGotOnlyTheMarker() throws Exception {
    RecordingEndpointFactory mdb = activate(Completion.ONE_PHASE);
    publish("marker", MessageProperties.PERSISTENT_BASIC);
    Poll.until("the marker", () -> mdb.bodies().contains("marker"));
    assertEquals(List.of("marker"), mdb.bodies());
    return mdb;
  }

  private long branchFiles() throws Exception {
    Path directory = dataDir.resolve("xa-branches");
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".delivery")).count();
    }
  }

  @Test
  void aPreparedDeliveryIsHeldAfterARestartAndCommitAcknowledgesItForGood() throws Exception {
    Xid xid = preparedThenCrashed(MessageProperties.PERSISTENT_BASIC);

    assertEquals(List.of(StoredXid.of(xid)), inDoubt(), "recovery reports the delivery's branch");
    assertTrue(basicGetFindsNothing(), "held back from basic.get");
    assertEquals(0, messagesInQueue());
    mdbThatGotOnlyTheMarker();

    recoveryResource().commit(xid, false);

    assertEquals(List.of(), inDoubt());
    assertEquals(0, branchFiles());
    running.close();
    running = new RunningAdapter(dataDir);
    assertEquals(List.of(), inDoubt());
    assertEquals(0, messagesInQueue(), "the commit's ack was on disk");
  }

  @Test
  void rollingBackARecoveredBranchDeliversTheMessageAgainAsRedelivered() throws Exception {
    Xid xid = preparedThenCrashed(MessageProperties.PERSISTENT_BASIC);
    RecordingEndpointFactory mdb = mdbThatGotOnlyTheMarker();

    recoveryResource().rollback(xid);

    Poll.until("the redelivery", () -> mdb.bodies().contains("the order"));
    AmqpMessage again = mdb.received.get(1);
    assertTrue(again.redelivered());
    assertEquals(2, again.deliveryCount(), "counted as the live rollback's retry copy");
    assertEquals(List.of(), inDoubt());
    Poll.until("settled", () -> mdb.completed.get() == 2);
    assertEquals(0, messagesInQueue());
  }

  @Test
  void aHeldMessageStaysHeldAcrossRestartsUntilATransactionManagerDecides() throws Exception {
    Xid xid = preparedThenCrashed(MessageProperties.PERSISTENT_BASIC);
    running.close();
    running = new RunningAdapter(dataDir);

    assertEquals(List.of(StoredXid.of(xid)), inDoubt());
    assertTrue(basicGetFindsNothing());
    RecordingEndpointFactory mdb = mdbThatGotOnlyTheMarker();

    recoveryResource().rollback(xid);
    Poll.until("the redelivery", () -> mdb.bodies().contains("the order"));
  }

  @Test
  void aBranchWhoseQueueWasDeletedIsForgottenByCommitOrRollback() throws Exception {
    running = new RunningAdapter(dataDir);
    RecordingEndpointFactory mdb = activate(Completion.PREPARE_THEN_CRASH);
    publish("the order", MessageProperties.PERSISTENT_BASIC);
    Poll.until("the prepare", () -> mdb.prepared.size() == 1);
    Xid xid = mdb.prepared.get(0);
    try (Connection client = running.externalClient();
        Channel channel = client.createChannel()) {
      channel.queueDelete(queue);
    }
    running.close();
    running = new RunningAdapter(dataDir);

    assertEquals(List.of(StoredXid.of(xid)), inDoubt(), "the branch is still reported");
    recoveryResource().rollback(xid);
    assertEquals(List.of(), inDoubt());
  }

  @Test
  void aTransientMessageLeavesNoBranchToRecover() throws Exception {
    Xid xid = preparedThenCrashed(MessageProperties.BASIC);

    assertEquals(List.of(), inDoubt(), "a restart loses the message anyway");
    XAException unknown =
        assertThrows(XAException.class, () -> recoveryResource().commit(xid, false));
    assertEquals(XAException.XAER_NOTA, unknown.errorCode, "as a branch already committed");
    assertEquals(0, messagesInQueue());
  }

  @Test
  void aLiveTwoPhaseCommitAcknowledgesAndLeavesNoBranchBehind() throws Exception {
    running = new RunningAdapter(dataDir);
    RecordingEndpointFactory mdb = activate(Completion.TWO_PHASE);
    publish("the order", MessageProperties.PERSISTENT_BASIC);
    Poll.until("the commit", () -> mdb.completed.get() == 1);

    assertEquals(0, branchFiles());
    assertEquals(List.of(), inDoubt());
    running.close();
    running = new RunningAdapter(dataDir);
    assertEquals(0, messagesInQueue());
  }
}
