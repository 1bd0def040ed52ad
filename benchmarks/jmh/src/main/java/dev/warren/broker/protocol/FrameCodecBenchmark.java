package dev.warren.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec's cost per message: decoding an inbound basic.publish (method, content header and body
 * frame) and encoding an outbound basic.deliver with its header and body. The decoder and encoder
 * are called directly, without a Netty pipeline, so the figures are the codec's own; this class
 * lives in the protocol package because {@code decode} and {@code encode} are protected hooks of
 * Netty's codec base classes. Buffers come from Netty's pooled direct allocator, as on a socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBenchmark {
  private static final int CHANNEL = 1;
  private static final int FRAME_MAX = 131_072;

  @Param({"12", "1024"})
  public int bodySize;

  private FrameDecoder decoder;
  private ByteBuf inbound;
  private final List<Object> decoded = new ArrayList<>(4);

  private Frame.Content deliver;
  private ByteBuf outbound;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] body = new byte[bodySize];
    Arrays.fill(body, (byte) 'x');
    BasicProperties properties =
        new BasicProperties(
            "application/octet-stream",
            null,
            null,
            2,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    decoder = new FrameDecoder(FRAME_MAX);
    ByteBuf header = PooledByteBufAllocator.DEFAULT.directBuffer(8);
    FrameEncoder.INSTANCE.encode(null, new Frame.ProtocolHeader(0, 9, 1), header);
    decodeAll(header);
    header.release();
    decoded.clear();

    inbound = PooledByteBufAllocator.DEFAULT.directBuffer(256 + bodySize);
    FrameEncoder encoder = FrameEncoder.INSTANCE;
    encoder.encode(
        null,
        new Frame.Method(CHANNEL, new BasicMethod.Publish(0, "amq.direct", "orders", false, false)),
        inbound);
    encoder.encode(
        null,
        new Frame.ContentHeader(CHANNEL, BasicMethod.CLASS_ID, bodySize, properties),
        inbound);
    ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(bodySize).writeBytes(body);
    encoder.encode(null, new Frame.ContentBody(CHANNEL, payload), inbound);

    deliver =
        new Frame.Content(
            CHANNEL,
            new BasicMethod.Deliver("amq.ctag-benchmark", 42, false, "amq.direct", "orders"),
            properties,
            body,
            FRAME_MAX);
    outbound = PooledByteBufAllocator.DEFAULT.directBuffer(256 + bodySize);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    inbound.release();
    outbound.release();
  }

  /** One publish: three frames in, a method, a header and a body (a retained slice) out. */
  @Benchmark
  public void decodePublish(Blackhole blackhole) {
    inbound.readerIndex(0);
    decoded.clear();
    decodeAll(inbound);
    for (int i = 0; i < decoded.size(); i++) {
      Object frame = decoded.get(i);
      blackhole.consume(frame);
      if (frame instanceof Frame.ContentBody body) {
        body.payload().release();
      }
    }
  }

  /** One delivery: method, header and body frames written into one buffer. */
  @Benchmark
  public ByteBuf encodeDeliver() {
    outbound.clear();
    FrameEncoder.INSTANCE.encode(null, deliver, outbound);
    return outbound;
  }

  /** What {@code ByteToMessageDecoder} does with a read: decode until no progress is made. */
  private void decodeAll(ByteBuf in) {
    while (in.isReadable()) {
      int before = in.readableBytes();
      decoder.decode(null, in, decoded);
      if (in.readableBytes() == before) {
        throw new IllegalStateException("decoder made no progress on a whole publish");
      }
    }
  }
}
