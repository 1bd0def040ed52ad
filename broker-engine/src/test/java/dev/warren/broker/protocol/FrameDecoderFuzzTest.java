package dev.warren.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Coverage-guided: any byte stream, in any fragmentation, after a valid protocol header. The
 * decoder must never throw (a failure is emitted as {@link Frame.Malformed}), never emit anything
 * after losing sync but that one Malformed, and leak no buffer (the build runs Netty's paranoid
 * leak detector).
 *
 * <p>The normal build fuzzes for a few seconds (see the pom); {@code
 * src/test/resources/dev/warren/broker/protocol/FrameDecoderFuzzTestInputs} holds seeds and any
 * crash ever found, replayed as regression tests in every run.
 */
class FrameDecoderFuzzTest {
  private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

  @FuzzTest(maxDuration = "10s")
  void anyInputDecodesToFramesOrOneMalformedWithoutThrowing(FuzzedDataProvider data) {
    int frameMax = data.pickValue(new int[] {0, 4096, 131072});
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(frameMax));
    channel.writeInbound(Unpooled.wrappedBuffer(PROTOCOL_HEADER));
    assertTrue(channel.readInbound() instanceof Frame.ProtocolHeader);
    boolean lostSync = false;
    while (data.remainingBytes() > 0) {
      byte[] fragment = data.consumeBytes(data.consumeInt(1, 512));
      channel.writeInbound(Unpooled.wrappedBuffer(fragment));
      for (Object frame; (frame = channel.readInbound()) != null; ) {
        assertFalse(lostSync, "a frame after the stream lost sync: " + frame);
        if (frame instanceof Frame.Malformed malformed && malformed.replyCode() == 501) {
          lostSync = malformed.classId() == 0 && isFramingError(malformed.reason());
        }
        if (frame instanceof Frame.ContentBody body) {
          body.payload().release();
        }
      }
    }
    channel.finishAndReleaseAll();
  }

  /** The reasons of FrameDecoder's loss of sync, after which input is discarded. */
  private static boolean isFramingError(String reason) {
    return reason.startsWith("frame size")
        || reason.startsWith("unknown frame type")
        || reason.startsWith("invalid frame end");
  }
}
