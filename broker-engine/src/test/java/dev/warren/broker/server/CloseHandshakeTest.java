package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.server.RawAmqpSocket.Args;
import dev.warren.broker.server.RawAmqpSocket.Close;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Close handshakes that cross (spec 4.2.3 / 4.9: each side answers the other's close), over a raw
 * socket so the frames can be sent without waiting for answers.
 */
class CloseHandshakeTest {
  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /**
   * The client closes a channel just as the broker closes it for an error: the client's close gets
   * close-ok, and the number is free once the client's close-ok for the broker's close arrives;
   * then it can be opened again and the connection lives on.
   */
  @Test
  void aChannelCloseCrossingTheBrokersGetsCloseOkAndTheNumberIsFreedByTheClientsCloseOk()
      throws IOException {
    try (RawAmqpSocket client = crossedClose()) {
      client.sendMethod(1, 20, 41, new Args()); // close-ok for the broker's close
      client.sendMethod(1, 20, 10, new Args().shortString(""));
      assertEquals(1, client.expectMethod(20, 11).channel());

      client.sendMethod(1, 50, 10, new Args().shortInt(0).shortString("").octet(0).table());
      assertEquals(1, client.expectMethod(50, 11).channel());
    }
  }

  /**
   * What applications do: close a channel right after an operation the broker refuses. The Java
   * client's close then usually crosses the broker's, twenty times over one connection here.
   *
   * <p>Each channel gets a number of its own. The Java client frees a number as soon as the
   * broker's close arrives, and its allocator hands that same number to the next createChannel(),
   * so the close-ok for the client's crossed close (which RabbitMQ sends too, see
   * RabbitMqDifferentialTest) can reach the new channel as the reply to its channel.open. Against
   * RabbitMQ 3.10.8 that desynchronises the client in about one connection out of eight, exactly as
   * against Warren: a client race, not what this test is about.
   */
  @Test
  void closingAChannelRightAfterARefusedPublishLeavesTheConnectionOpen() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    try (Connection connection = factory.newConnection()) {
      for (int i = 0; i < 20; i++) {
        Channel channel = connection.createChannel(i + 1);
        channel.basicPublish("warren-no-such-exchange", "", null, new byte[] {1});
        try {
          channel.close();
        } catch (IOException | ShutdownSignalException refused) {
          // the broker's 404 may reach the client first: either way the channel is gone
        }
      }
      assertTrue(connection.isOpen(), "the connection survived");
      assertTrue(connection.createChannel(100).queueDeclare().getQueue().startsWith("amq.gen-"));
    }
  }

  /** Until then the number is taken: opening it is RabbitMQ's 504 "second 'channel.open'". */
  @Test
  void theNumberStaysTakenUntilTheClientsCloseOk() throws IOException {
    try (RawAmqpSocket client = crossedClose()) {
      client.sendMethod(1, 20, 10, new Args().shortString(""));

      Close close = client.expectConnectionClose();
      assertEquals(504, close.replyCode());
      assertEquals("CHANNEL_ERROR - second 'channel.open' seen", close.replyText());
    }
  }

  /** A connection whose channel 1 the broker closed while the client was closing it too. */
  private static RawAmqpSocket crossedClose() throws IOException {
    RawAmqpSocket client = RawAmqpSocket.connect(broker.port()).openWithChannel(0, 131072);
    client.sendMethod(1, 50, 10, passiveDeclare("warren-no-such-queue-crossed"));
    client.sendMethod(1, 20, 40, new Args().shortInt(200).shortString("bye").longInt(0));
    Close brokers = client.expectChannelClose(1);
    assertEquals(404, brokers.replyCode());
    client.expectMethod(20, 41); // close-ok for the client's close
    return client;
  }

  /** Two threads of a client close the connection at once: each close gets its close-ok. */
  @Test
  void aSecondConnectionCloseGetsCloseOkToo() throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port()).openWithChannel(0, 131072)) {
      Args close = new Args().shortInt(200).shortString("bye").shortInt(0).shortInt(0);
      client.sendMethod(0, 10, 50, close);
      client.sendMethod(0, 10, 50, close);

      client.expectMethod(10, 51);
      client.expectMethod(10, 51);
      assertFalse(client.closedWithin(Duration.ofMillis(300)), "the client hangs up, not us");
      assertTrue(
          client.closedWithin(AmqpConnection.CLOSE_OK_TIMEOUT.plusSeconds(5)),
          "unless the client never does");
    }
  }

  /**
   * Closing a channel while its consumer's deliveries stream: nothing of that channel follows its
   * close-ok, since the client may open the number again at once and would read a stray delivery
   * (or half of one) as the new channel's. Another connection publishes all along, so deliveries
   * are made on its thread while this one closes. Each round a consumer with no prefetch limit
   * starts taking, the channel closes as soon as the first delivery arrives (what it was given is
   * requeued), and the number is opened again: the next frames on it must be open-ok, then qos-ok.
   */
  @Test
  void nothingOfAClosedChannelFollowsItsCloseOk() throws Exception {
    String queue = "close-ok-race";
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    try (Connection publishing = factory.newConnection()) {
      Channel publisher = publishing.createChannel();
      publisher.queueDeclare(queue, false, false, false, null);
      publisher.confirmSelect();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Integer> published =
          CompletableFuture.supplyAsync(
              () -> {
                int sent = 0;
                try {
                  while (!stop.get() && sent < 50_000) {
                    publisher.basicPublish("", queue, null, new byte[16]);
                    sent++;
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return sent;
              });
      try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port()).openWithChannel(0, 131072)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int round = 0; round < 50 && System.nanoTime() < deadline; round++) {
          client.sendMethod(
              1,
              60,
              20,
              new Args().shortInt(0).shortString(queue).shortString("").octet(0).table());
          client.expectMethod(60, 21); // consume-ok
          client.expectMethod(60, 60); // the first delivery: more are on their way
          client.sendMethod(1, 20, 40, new Args().shortInt(200).shortString("").longInt(0));
          skipUntil(client, 20, 41); // the deliveries sent before close-ok, then close-ok

          client.sendMethod(1, 20, 10, new Args().shortString(""));
          client.expectMethod(20, 11);
          client.sendMethod(1, 60, 10, new Args().longInt(0).shortInt(0).octet(0));
          client.expectMethod(60, 11);
        }
      } finally {
        stop.set(true);
      }
      int sent = published.get(30, TimeUnit.SECONDS);
      assertTrue(publisher.waitForConfirms(30_000));
      assertEquals(sent, publisher.queueDelete(queue).getMessageCount(), "all requeued");
    }
  }

  /** Reads up to the method {@code classId.methodId}, skipping whatever comes before it. */
  private static void skipUntil(RawAmqpSocket client, int classId, int methodId)
      throws IOException {
    RawAmqpSocket.RawFrame frame = client.readFrame();
    while (frame != null && !frame.isMethod(classId, methodId)) {
      frame = client.readFrame();
    }
    assertTrue(frame != null, "the socket closed");
  }

  private static Args passiveDeclare(String queue) {
    return new Args().shortInt(0).shortString(queue).octet(1).table();
  }
}
