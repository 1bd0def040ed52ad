package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.server.RawAmqpSocket.Args;
import dev.warren.broker.server.RawAmqpSocket.Close;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frame-level rules (spec section 4.2.3 and RabbitMQ's answers), checked over a raw socket: each
 * broken rule is answered with connection.close carrying the reply code and the offending method,
 * and then the socket is closed.
 */
class RawFrameErrorsTest {
  /** Long enough for a server that waits for close-ok (3 s in Warren and RabbitMQ) to give up. */
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(8);

  private static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void frameWithBadFrameEndClosesConnectionWith501() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      byte[] flow = new Args().shortInt(20).shortInt(20).octet(1).bytes();
      client.send(RawAmqpSocket.frame(RawAmqpSocket.METHOD, 1, flow, 0x00));

      assertConnectionClosedWith(client, 501, 0, 0);
    }
  }

  @Test
  void unknownFrameTypeClosesConnectionWith501() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendFrame(7, 1, new byte[] {1, 2, 3});

      assertConnectionClosedWith(client, 501, 0, 0);
    }
  }

  @Test
  void frameLargerThanNegotiatedFrameMaxClosesConnectionWith501() throws IOException {
    try (RawAmqpSocket client = openClient(4096)) {
      client.sendFrame(RawAmqpSocket.BODY, 1, new byte[5000]);

      assertConnectionClosedWith(client, 501, 0, 0);
    }
  }

  @Test
  void methodOnUnopenedChannelClosesConnectionWith504() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendMethod(2, 50, 10, queueDeclare("raw-unopened"));

      assertConnectionClosedWith(client, 504, 50, 10);
    }
  }

  @Test
  void secondChannelOpenOnTheSameChannelClosesConnectionWith504() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendMethod(1, 20, 10, new Args().shortString(""));

      assertConnectionClosedWith(client, 504, 20, 10);
    }
  }

  @Test
  void openingMoreChannelsThanTheNegotiatedChannelMaxClosesConnectionWith530() throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.open(2, 131072, 0);
      client.openChannel(1);
      client.openChannel(2);

      client.sendMethod(3, 20, 10, new Args().shortString(""));

      assertConnectionClosedWith(client, 530, 0, 0);
    }
  }

  @Test
  void contentHeaderWithoutPublishClosesConnectionWith505() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      byte[] header = new Args().shortInt(60).shortInt(0).longLong(0).shortInt(0).bytes();
      client.sendFrame(RawAmqpSocket.HEADER, 1, header);

      assertConnectionClosedWith(client, 505, 0, 0);
    }
  }

  @Test
  void contentBodyWithoutPublishClosesConnectionWith505() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendFrame(RawAmqpSocket.BODY, 1, new byte[] {'x'});

      assertConnectionClosedWith(client, 505, 0, 0);
    }
  }

  /** The Java client's UnexpectedFrames.missingMethod: a publish sent in a header frame. */
  @Test
  void aMethodPayloadInAHeaderFrameWhereAMethodIsExpectedIs505() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      byte[] publish =
          new Args().shortInt(60).shortInt(40).bytes(publishArgs("routing key").octet(0));
      client.sendFrame(RawAmqpSocket.HEADER, 1, publish);

      assertConnectionClosedWith(client, 505, 0, 0);
    }
  }

  @Test
  void anUndecodableContentHeaderWhereAMethodIsExpectedIs505NotAFrameError() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendFrame(RawAmqpSocket.HEADER, 1, truncatedHeadersProperty());

      assertConnectionClosedWith(client, 505, 0, 0);
    }
  }

  @Test
  void anUndecodableContentHeaderAfterAPublishIsAFrameError() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendMethod(1, 60, 40, publishArgs("raw-routing-key").octet(0));
      client.sendFrame(RawAmqpSocket.HEADER, 1, truncatedHeadersProperty());

      assertConnectionClosedWith(client, 501, 60, 40);
    }
  }

  @Test
  void aMessageAboveSixteenMebibytesIsRefusedWith406WhenItsHeaderArrives() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      long tooLarge = 16L * 1024 * 1024 + 1;
      client.sendMethod(1, 60, 40, publishArgs("raw-too-large").octet(0));
      client.sendFrame(
          RawAmqpSocket.HEADER,
          1,
          new Args().shortInt(60).shortInt(0).longLong(tooLarge).shortInt(0).bytes());

      Close close = client.expectChannelClose(1);
      assertEquals(406, close.replyCode());
      assertEquals(
          "PRECONDITION_FAILED - message size 16777217 is larger than configured max size 16777216",
          close.replyText());
      assertEquals(60, close.classId());
      assertEquals(40, close.methodId());
    }
  }

  /**
   * Until tune-ok only frames of the spec's minimum size (4096 octets of payload) are taken, as
   * RabbitMQ 4.0 does (4.1 allows 8192): a start-ok one octet larger is refused.
   */
  @Test
  void aStartOkAboveTheMinimumFrameSizeIsRefusedAndOneOfExactlyThatSizeAccepted()
      throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.send(RawAmqpSocket.PROTOCOL_HEADER);
      client.expectMethod(10, 10);
      client.sendMethod(0, 10, 11, startOkArgs(4096));
      client.expectMethod(10, 30); // tune: accepted
    }
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.send(RawAmqpSocket.PROTOCOL_HEADER);
      client.expectMethod(10, 10);
      client.sendMethod(0, 10, 11, startOkArgs(4097));

      RawAmqpSocket.RawFrame frame = client.readFrame();
      if (frame != null) {
        assertTrue(frame.isMethod(10, 50), "no tune, at most a connection.close");
        assertEquals(501, RawAmqpSocket.closeOf(frame).replyCode());
      }
      assertTrue(client.closedWithin(CLOSE_DEADLINE), "socket closed");
    }
  }

  @Test
  void methodInsteadOfContentHeaderClosesConnectionWith505NamingThePublish() throws IOException {
    try (RawAmqpSocket client = openClient(131072)) {
      client.sendMethod(
          1,
          60,
          40,
          new Args().shortInt(0).shortString("").shortString("raw-routing-key").octet(0));
      client.sendMethod(1, 50, 10, queueDeclare("raw-interrupting"));

      assertConnectionClosedWith(client, 505, 60, 40);
    }
  }

  @Test
  void frameMaxBelowTheMinimumInTuneOkClosesConnectionWith530NamingTune() throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.startAndAuthenticate();
      client.sendMethod(0, 10, 31, new Args().shortInt(2047).longInt(1024).shortInt(0));

      assertConnectionClosedWith(client, 530, 10, 30);
    }
  }

  @Test
  void unknownAuthenticationMechanismIsRefusedAndTheSocketClosed() throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.send(RawAmqpSocket.PROTOCOL_HEADER);
      client.expectMethod(10, 10);
      client.sendMethod(
          0,
          10,
          11,
          new Args().table().shortString("NO-SUCH-MECHANISM").longString("").shortString("en_US"));

      // RabbitMQ hangs up silently here; Warren says why first (503, like RabbitMQ's log)
      RawAmqpSocket.RawFrame frame = client.readFrame();
      if (frame != null) {
        assertTrue(frame.isMethod(10, 50), "only a connection.close may come");
        assertEquals(503, ByteBuffer.wrap(frame.payload()).getShort(4));
      }
      assertTrue(client.closedWithin(CLOSE_DEADLINE), "socket closed");
    }
  }

  @Test
  void refusedLoginOfClientWithoutAuthFailureCloseCapabilityIsJustDisconnected()
      throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.send(RawAmqpSocket.PROTOCOL_HEADER);
      client.expectMethod(10, 10);
      client.sendMethod(
          0,
          10,
          11,
          new Args()
              .table()
              .shortString("PLAIN")
              .longString("\0guest\0wrong")
              .shortString("en_US"));

      assertNull(client.readFrame(), "no connection.close for a client that did not ask for it");
    }
  }

  @Test
  void unsupportedProtocolHeaderIsAnsweredWithAmqp0091AndClosed() throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(broker.port())) {
      client.send(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 10, 0});

      assertArrayEquals(RawAmqpSocket.PROTOCOL_HEADER, client.readExactly(8));
      assertTrue(client.closedWithin(CLOSE_DEADLINE), "socket closed after the header");
    }
  }

  private static Args publishArgs(String routingKey) {
    return new Args().shortInt(0).shortString("").shortString(routingKey);
  }

  /** A basic content header flagging headers whose table claims more octets than follow. */
  private static byte[] truncatedHeadersProperty() {
    return new Args().shortInt(60).shortInt(0).longLong(0).shortInt(1 << 13).longInt(100).bytes();
  }

  /** start-ok arguments padded (with a client property) to a method payload of {@code size}. */
  private static Args startOkArgs(int size) {
    int unpadded = 4 + startOkArgs("").bytes().length;
    return startOkArgs("p".repeat(size - unpadded));
  }

  private static Args startOkArgs(String padding) {
    Args property = new Args().shortString("x").octet('S').longString(padding);
    byte[] table = property.bytes();
    return new Args()
        .longInt(table.length)
        .raw(table)
        .shortString("PLAIN")
        .longString("\0guest\0guest")
        .shortString("en_US");
  }

  private RawAmqpSocket openClient(int frameMax) throws IOException {
    return RawAmqpSocket.connect(broker.port()).openWithChannel(0, frameMax);
  }

  private static Args queueDeclare(String queue) {
    return new Args().shortInt(0).shortString(queue).octet(0).table();
  }

  private static void assertConnectionClosedWith(
      RawAmqpSocket client, int replyCode, int classId, int methodId) throws IOException {
    Close close = client.expectConnectionClose();
    assertEquals(replyCode, close.replyCode(), close.replyText());
    assertEquals(classId, close.classId(), "class id of " + close.replyText());
    assertEquals(methodId, close.methodId(), "method id of " + close.replyText());
    assertTrue(
        close.replyText().startsWith(labelOf(replyCode) + " - "),
        "reply text in RabbitMQ's format: " + close.replyText());
    try {
      client.sendMethod(0, 10, 51, new Args()); // close-ok: a server still reading hangs up now
    } catch (IOException alreadyClosed) {
      // the server may hang up without waiting for close-ok, which is just as good
    }
    assertTrue(client.closedWithin(CLOSE_DEADLINE), "socket closed after connection.close");
  }

  private static String labelOf(int replyCode) {
    return ReplyCode.of(replyCode).label();
  }
}
