package dev.warren.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Coverage-guided: any method frame payload either fails with the decoder's documented exceptions
 * or decodes to a method that encodes to bytes which decode and re-encode to the same bytes.
 */
class MethodCodecFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void aDecodedMethodSurvivesReEncoding(byte[] payload) {
    AmqpMethod method;
    try {
      method = MethodDecoder.decode(Unpooled.wrappedBuffer(payload));
    } catch (DecodeException | IndexOutOfBoundsException refused) {
      return; // the frame decoder turns both into a Malformed frame
    }
    byte[] encoded = encode(method);
    byte[] again = encode(MethodDecoder.decode(Unpooled.wrappedBuffer(encoded)));
    assertArrayEquals(encoded, again);
  }

  private static byte[] encode(AmqpMethod method) {
    ByteBuf out = Unpooled.buffer();
    try {
      MethodEncoder.encode(out, method);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }
}
