package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** tx.select / commit / rollback for publishes and acknowledgements. */
class TransactionTest extends ClientTestBase {

  @Test
  void publishInTransactionIsInvisibleUntilCommit() throws IOException {
    String queue = serverNamedQueue();
    channel.txSelect();

    publish("", queue, "pending");
    assertStaysEmpty(queue);
    channel.txCommit();

    assertEquals("pending", awaitBody(queue));
  }

  @Test
  void rollbackDiscardsPublishes() throws IOException {
    String queue = serverNamedQueue();
    channel.txSelect();
    publish("", queue, "discarded");

    channel.txRollback();
    channel.txCommit();

    assertStaysEmpty(queue);
  }

  @Test
  void channelStaysTransactionalAfterCommit() throws IOException {
    String queue = serverNamedQueue();
    channel.txSelect();
    publish("", queue, "first");
    channel.txCommit();
    assertEquals("first", awaitBody(queue));

    publish("", queue, "second");

    assertStaysEmpty(queue);
    channel.txCommit();
    assertEquals("second", awaitBody(queue));
  }

  @Test
  void committedPublishesArriveInOrder() throws IOException {
    String queue = serverNamedQueue();
    channel.txSelect();
    for (int i = 0; i < 10; i++) {
      publish("", queue, "m" + i);
    }

    channel.txCommit();

    for (int i = 0; i < 10; i++) {
      assertEquals("m" + i, awaitBody(queue));
    }
  }

  @Test
  void ackInTransactionIsAppliedAtCommit() throws Exception {
    String queue = serverNamedQueue();
    publish("", queue, "acked in tx");
    Channel txChannel = connection.createChannel();
    txChannel.txSelect();
    GetResponse response = awaitGet(txChannel, queue, false);

    txChannel.basicAck(response.getEnvelope().getDeliveryTag(), false);
    txChannel.txCommit();
    txChannel.close();

    assertStaysEmpty(queue);
  }

  @Test
  void ackInTransactionIsDiscardedAtRollback() throws Exception {
    String queue = serverNamedQueue();
    publish("", queue, "still unacked");
    Channel txChannel = connection.createChannel();
    txChannel.txSelect();
    GetResponse response = awaitGet(txChannel, queue, false);

    txChannel.basicAck(response.getEnvelope().getDeliveryTag(), false);
    txChannel.txRollback();
    txChannel.close();

    GetResponse requeued = awaitGet(queue);
    assertEquals("still unacked", text(requeued.getBody()));
    assertTrue(requeued.getEnvelope().isRedeliver());
  }

  @Test
  void rejectInTransactionIsAppliedAtCommit() throws Exception {
    String queue = serverNamedQueue();
    publish("", queue, "rejected in tx");
    channel.txSelect();
    GetResponse response = awaitGet(channel, queue, false);

    channel.basicReject(response.getEnvelope().getDeliveryTag(), true);
    assertStaysEmpty(queue);
    channel.txCommit();

    GetResponse requeued = awaitGet(queue);
    assertTrue(requeued.getEnvelope().isRedeliver());
  }

  @Test
  void uncommittedPublishesAreDiscardedWhenChannelCloses() throws Exception {
    String queue = serverNamedQueue();
    Channel txChannel = connection.createChannel();
    txChannel.txSelect();
    txChannel.basicPublish("", queue, null, bytes("never committed"));

    txChannel.close();

    assertStaysEmpty(queue);
  }

  @Test
  void commitWithoutSelectClosesChannelWith406() {
    ShutdownSignalException close = expectChannelClose(channel, Channel::txCommit);

    assertReply(close, 406, "PRECONDITION_FAILED - channel is not transactional");
  }

  @Test
  void rollbackWithoutSelectClosesChannelWith406() {
    ShutdownSignalException close = expectChannelClose(channel, Channel::txRollback);

    assertReply(close, 406, "PRECONDITION_FAILED - channel is not transactional");
  }

  @Test
  void confirmSelectAfterTxSelectClosesChannelWith406() throws IOException {
    channel.txSelect();

    ShutdownSignalException close = expectChannelClose(channel, Channel::confirmSelect);

    assertReply(close, 406, "PRECONDITION_FAILED - cannot switch from tx to confirm mode");
  }

  @Test
  void txSelectTwiceIsAllowed() throws IOException {
    String queue = serverNamedQueue();
    channel.txSelect();
    channel.txSelect();
    publish("", queue, "x");
    channel.txCommit();

    assertEquals("x", awaitBody(queue));
  }
}
