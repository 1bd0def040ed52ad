package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.CodecHarness.assertDeepEquals;
import static dev.warren.broker.protocol.CodecHarness.decodeFrames;
import static dev.warren.broker.protocol.CodecHarness.encode;
import static dev.warren.broker.protocol.FrameDecoderTest.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Content header frames and the splitting of message bodies into body frames. */
class ContentFramesTest {
  private static final int FRAME_MAX = 4096;
  private static final int MAX_BODY_PAYLOAD = FRAME_MAX - 8;

  private static final BasicProperties ALL =
      new BasicProperties(
          "text/plain",
          "gzip",
          Map.of("x-retries", 3),
          2,
          9,
          "corr-1",
          "amq.rabbitmq.reply-to",
          "60000",
          "msg-1",
          new AmqpTimestamp(1_700_000_000L),
          "order.created",
          "guest",
          "warren-test",
          "cluster-ü");

  @Test
  void aContentHeaderWithAllFourteenPropertiesRoundTrips() {
    assertHeaderRoundTrips(ALL);
  }

  @Test
  void aContentHeaderWithNoPropertiesRoundTripsAsTwoZeroFlagOctets() {
    byte[] bytes = assertHeaderRoundTrips(BasicProperties.EMPTY);
    assertEquals(7 + 2 + 2 + 8 + 2 + 1, bytes.length);
  }

  @Test
  void aContentHeaderWithSomePropertiesRoundTrips() {
    assertHeaderRoundTrips(
        new BasicProperties(
            null,
            null,
            Map.of("k", "v"),
            1,
            null,
            null,
            "replies",
            null,
            null,
            new AmqpTimestamp(0),
            null,
            null,
            null,
            null));
  }

  @Test
  void contentHeadersAreWrittenByteForByteAsRabbitMqsJavaClientWritesThem() throws IOException {
    AMQP.BasicProperties client =
        new AMQP.BasicProperties(
            ALL.contentType(),
            ALL.contentEncoding(),
            ALL.headers(),
            ALL.deliveryMode(),
            ALL.priority(),
            ALL.correlationId(),
            ALL.replyTo(),
            ALL.expiration(),
            ALL.messageId(),
            Date.from(ALL.timestamp().toInstant()),
            ALL.type(),
            ALL.userId(),
            ALL.appId(),
            ALL.clusterId());
    ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
    client.toFrame(5, 1234).writeTo(new DataOutputStream(clientBytes));
    assertArrayEquals(
        clientBytes.toByteArray(),
        encode(new Frame.ContentHeader(5, BasicMethod.CLASS_ID, 1234, ALL)));
  }

  @Test
  void propertyFlagContinuationWordsAreReadPast() {
    // class 60, weight 0, size 0, flags: content-type + continuation, then an empty flags word
    byte[] payload = {0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 1, 0, 0, 1, 'x'};
    var header = (Frame.ContentHeader) decodeFrames(frame(2, 1, payload), 1).get(0);
    assertEquals("x", header.properties().contentType());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, MAX_BODY_PAYLOAD, MAX_BODY_PAYLOAD + 1, 3 * MAX_BODY_PAYLOAD + 5})
  void aMessageIsOneMethodFrameOneHeaderFrameAndAsManyBodyFramesAsFrameMaxRequires(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    var deliver = new BasicMethod.Deliver("ctag", 9, true, "ex", "rk");
    byte[] bytes = encode(new Frame.Content(3, deliver, ALL, body, FRAME_MAX));

    List<Object> frames = decodeFrames(bytes, 1);
    assertEquals(new Frame.Method(3, deliver), frames.get(0));
    assertDeepEquals(new Frame.ContentHeader(3, BasicMethod.CLASS_ID, size, ALL), frames.get(1));
    List<Object> bodies = frames.subList(2, frames.size());
    assertEquals((size + MAX_BODY_PAYLOAD - 1) / MAX_BODY_PAYLOAD, bodies.size());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    for (Object frame : bodies) {
      var part = (CodecHarness.Body) frame;
      assertEquals(3, part.channel());
      assertTrue(part.bytes().length + 8 <= FRAME_MAX, "a body frame fits the frame max");
      received.writeBytes(part.bytes());
    }
    assertArrayEquals(body, received.toByteArray());
  }

  @Test
  void withFrameMaxZeroTheWholeBodyIsOneFrame() {
    byte[] body = new byte[100_000];
    var getOk = new BasicMethod.GetOk(1, false, "", "q", 0);
    List<Object> frames = decodeFrames(encode(new Frame.Content(1, getOk, null, body, 0)), 4096);
    assertEquals(3, frames.size());
    assertArrayEquals(body, ((CodecHarness.Body) frames.get(2)).bytes());
  }

  @Test
  void aBodyFrameIsWrittenAndItsPayloadReleased() {
    ByteBuf payload = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
    byte[] bytes = encode(new Frame.ContentBody(2, payload));
    assertEquals(0, payload.refCnt());
    assertArrayEquals(frame(3, 2, new byte[] {1, 2, 3}), bytes);
  }

  @Test
  void aHeartbeatAndTheProtocolHeaderAreWrittenAsTheSpecSays() {
    assertArrayEquals(frame(8, 0, new byte[0]), encode(new Frame.Heartbeat()));
    assertArrayEquals(CodecHarness.PROTOCOL_HEADER, encode(new Frame.ProtocolHeader(0, 9, 1)));
    ByteBuf header = FrameEncoder.protocolHeader();
    try {
      byte[] bytes = new byte[header.readableBytes()];
      header.readBytes(bytes);
      assertArrayEquals(CodecHarness.PROTOCOL_HEADER, bytes);
    } finally {
      header.release();
    }
  }

  private static byte[] assertHeaderRoundTrips(BasicProperties properties) {
    var header = new Frame.ContentHeader(1, BasicMethod.CLASS_ID, Long.MAX_VALUE, properties);
    byte[] bytes = encode(header);
    List<Object> decoded = new ArrayList<>(decodeFrames(bytes, 1));
    assertDeepEquals(List.of(header), decoded);
    return bytes;
  }
}
