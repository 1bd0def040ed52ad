package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.CodecHarness.PROTOCOL_HEADER;
import static dev.warren.broker.protocol.CodecHarness.decodeFrames;
import static dev.warren.broker.protocol.CodecHarness.decodeStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Framing rules and every way input can be broken (AMQP 0-9-1 §4.2.3 to §4.2.7). */
class FrameDecoderTest {
  private static final byte[] HEARTBEAT = frame(8, 0, new byte[0]);

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 1000})
  void theProtocolHeaderAndFramesDecodeWhateverTheFragmentation(int chunkSize) {
    byte[] stream = concat(PROTOCOL_HEADER, HEARTBEAT, HEARTBEAT);
    assertEquals(
        List.of(new Frame.ProtocolHeader(0, 9, 1), new Frame.Heartbeat(), new Frame.Heartbeat()),
        decodeStream(stream, chunkSize, 4096));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AMQP\0\0\u0009\0", "AMQP\u0001\u0001\0\u0009", "GET / HTTP/1.1\r\n"})
  void anyOtherProtocolHeaderIsUnsupportedOnceAndTheRestIsIgnored(String header) {
    byte[] stream = concat(header.getBytes(StandardCharsets.ISO_8859_1), HEARTBEAT, HEARTBEAT);
    assertEquals(List.of(new Frame.UnsupportedProtocol()), decodeStream(stream, 1, 4096));
  }

  @Test
  void aWrongFrameEndIsAFrameErrorAndTheRestIsDiscarded() {
    byte[] broken = HEARTBEAT.clone();
    broken[7] = (byte) 0xCD;
    List<Object> frames = decodeFrames(concat(broken, HEARTBEAT), 1);
    assertMalformed(frames, 0, 501);
  }

  @Test
  void aFrameLargerThanFrameMaxIsAFrameErrorBeforeItsPayloadArrives() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(4096));
    channel.writeInbound(Unpooled.wrappedBuffer(PROTOCOL_HEADER));
    assertEquals(new Frame.ProtocolHeader(0, 9, 1), channel.readInbound());
    // only the seven octets of the frame header: type 3, channel 1, size 4097
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0, 1, 0, 0, 0x10, 0x01}));
    var malformed = assertInstanceOf(Frame.Malformed.class, channel.readInbound());
    assertEquals(501, malformed.replyCode());
    assertEquals(1, malformed.channel());
    channel.writeInbound(Unpooled.wrappedBuffer(HEARTBEAT));
    assertNull(channel.readInbound(), "input after a framing error is discarded");
    assertFalse(channel.finish());
  }

  @Test
  void aPayloadOfExactlyFrameMaxIsToleratedAsRabbitMqDoes() {
    List<Object> frames =
        decodeStream(concat(PROTOCOL_HEADER, frame(3, 1, new byte[4096])), 1, 4096);
    assertEquals(4096, ((CodecHarness.Body) frames.get(1)).bytes().length);
  }

  @Test
  void theNegotiatedFrameMaxReplacesTheProposedOne() {
    FrameDecoder decoder = new FrameDecoder(131072);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(PROTOCOL_HEADER));
    assertEquals(new Frame.ProtocolHeader(0, 9, 1), channel.readInbound());
    decoder.setFrameMax(4096);
    channel.writeInbound(Unpooled.wrappedBuffer(frame(3, 1, new byte[5000])));
    assertEquals(501, assertInstanceOf(Frame.Malformed.class, channel.readInbound()).replyCode());
    assertFalse(channel.finish());
  }

  @Test
  void anUnknownFrameTypeIsAFrameError() {
    assertMalformed(decodeFrames(concat(frame(5, 0, new byte[3]), HEARTBEAT), 1), 0, 501);
  }

  @Test
  void truncatedMethodArgumentsAreAFrameErrorNamingTheMethodAndDecodingGoesOn() {
    byte[] publishWithTicketOnly = {0, 60, 0, 40, 0, 0};
    List<Object> frames = decodeFrames(concat(frame(1, 3, publishWithTicketOnly), HEARTBEAT), 1);
    var malformed = assertMalformed(frames.subList(0, 1), 3, 501);
    assertEquals(60, malformed.classId());
    assertEquals(40, malformed.methodId());
    assertEquals(new Frame.Heartbeat(), frames.get(1), "the framing is intact");
  }

  @Test
  void octetsAfterTheLastArgumentAreAFrameError() {
    byte[] ackWithExtraOctet = {0, 60, 0, 80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 9};
    assertMalformed(decodeFrames(frame(1, 1, ackWithExtraOctet), 1), 1, 501);
  }

  @Test
  void aMethodFrameTooShortForItsIdsIsAFrameError() {
    assertMalformed(decodeFrames(frame(1, 1, new byte[] {0, 60, 0}), 1), 1, 501);
  }

  @Test
  void aBrokenTableInMethodArgumentsIsAFrameError() {
    // queue.declare, ticket, queue "q", bits, then a table claiming 5 octets holding one
    byte[] declare = {0, 50, 0, 10, 0, 0, 1, 'q', 0, 0, 0, 0, 5, 1};
    assertMalformed(decodeFrames(frame(1, 1, declare), 1), 1, 501);
  }

  @ParameterizedTest
  @ValueSource(ints = {(60 << 16) | 99, (99 << 16) | 10, (85 << 16) | 12})
  void anUnknownClassOrMethodIdIsNotImplemented(int ids) {
    byte[] payload = {(byte) (ids >>> 24), (byte) (ids >>> 16), (byte) (ids >>> 8), (byte) ids};
    List<Object> frames = decodeFrames(frame(1, 2, payload), 1);
    var malformed = assertMalformed(frames, 2, 540);
    assertEquals(ids >>> 16, malformed.classId());
    assertEquals(ids & 0xFFFF, malformed.methodId());
  }

  @Test
  void aHeartbeatWithAPayloadIsAFrameError() {
    assertMalformed(decodeFrames(frame(8, 0, new byte[] {1}), 1), 0, 501);
  }

  @Test
  void aHeartbeatOnAChannelOtherThanZeroIsAnUnexpectedFrame() {
    assertMalformed(decodeFrames(frame(8, 4, new byte[0]), 1), 4, 505);
  }

  @Test
  void aTruncatedContentHeaderIsPassedOnForTheSessionToJudge() {
    List<Object> frames = decodeFrames(frame(2, 1, new byte[] {0, 60, 0, 0, 0}), 1);
    assertEquals(List.of(new Frame.BadContentHeader(1, "content header is truncated")), frames);
  }

  @Test
  void aContentHeaderOfAnotherClassIsPassedOnForTheSessionToReject() {
    byte[] header = {0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0};
    assertEquals(
        List.of(new Frame.ContentHeader(1, 10, 5, BasicProperties.EMPTY)),
        decodeFrames(frame(2, 1, header), 1));
  }

  private static Frame.Malformed assertMalformed(List<Object> frames, int channel, int replyCode) {
    assertEquals(1, frames.size(), () -> "exactly one frame: " + frames);
    var malformed = assertInstanceOf(Frame.Malformed.class, frames.get(0));
    assertEquals(replyCode, malformed.replyCode(), malformed::reason);
    assertEquals(channel, malformed.channel());
    return malformed;
  }

  static byte[] frame(int type, int channel, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    out.write(channel >>> 8);
    out.write(channel);
    out.write(payload.length >>> 24);
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.writeBytes(payload);
    out.write(0xCE);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
