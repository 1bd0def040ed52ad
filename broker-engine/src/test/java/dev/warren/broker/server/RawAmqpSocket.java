package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.testsupport.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that writes AMQP bytes by hand, so that tests can send what no real client would: broken
 * frames, frames out of order, silence. Every read is bounded by the socket timeout.
 */
final class RawAmqpSocket implements AutoCloseable {
  static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  static final int METHOD = 1;
  static final int HEADER = 2;
  static final int BODY = 3;
  static final int HEARTBEAT = 8;
  static final int FRAME_END = 0xCE;

  record RawFrame(int type, int channel, byte[] payload) {
    boolean isMethod(int classId, int methodId) {
      return type == METHOD && classId() == classId && methodId() == methodId;
    }

    int classId() {
      return ByteBuffer.wrap(payload).getShort(0) & 0xFFFF;
    }

    int methodId() {
      return ByteBuffer.wrap(payload).getShort(2) & 0xFFFF;
    }
  }

  /** connection.close or channel.close as read off the wire. */
  record Close(int replyCode, String replyText, int classId, int methodId) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawAmqpSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawAmqpSocket connect(int port) throws IOException {
    Socket socket = new Socket(TestBroker.HOST, port);
    socket.setSoTimeout(10_000);
    return new RawAmqpSocket(socket);
  }

  /** Protocol header to open-ok with guest/guest on vhost "/", then channel 1 opened. */
  RawAmqpSocket openWithChannel(int heartbeatSeconds, int frameMax) throws IOException {
    open(2047, frameMax, heartbeatSeconds);
    openChannel(1);
    return this;
  }

  /** Protocol header to open-ok with guest/guest on vhost "/" and the given tune-ok. */
  void open(int channelMax, int frameMax, int heartbeatSeconds) throws IOException {
    startAndAuthenticate();
    sendMethod(
        0, 10, 31, new Args().shortInt(channelMax).longInt(frameMax).shortInt(heartbeatSeconds));
    sendMethod(0, 10, 40, new Args().shortString("/").shortString("").octet(0));
    expectMethod(10, 41); // open-ok
  }

  void openChannel(int channel) throws IOException {
    sendMethod(channel, 20, 10, new Args().shortString(""));
    expectMethod(20, 11); // channel.open-ok
  }

  /** Protocol header, start, start-ok with guest/guest, up to the server's tune. */
  void startAndAuthenticate() throws IOException {
    send(PROTOCOL_HEADER);
    expectMethod(10, 10); // start
    sendMethod(
        0,
        10,
        11,
        new Args().table().shortString("PLAIN").longString("\0guest\0guest").shortString("en_US"));
    expectMethod(10, 30); // tune
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendFrame(int type, int channel, byte[] payload) throws IOException {
    send(frame(type, channel, payload, FRAME_END));
  }

  void sendMethod(int channel, int classId, int methodId, Args args) throws IOException {
    sendFrame(METHOD, channel, new Args().shortInt(classId).shortInt(methodId).bytes(args));
  }

  static byte[] frame(int type, int channel, byte[] payload, int frameEnd) {
    return ByteBuffer.allocate(8 + payload.length)
        .put((byte) type)
        .putShort((short) channel)
        .putInt(payload.length)
        .put(payload)
        .put((byte) frameEnd)
        .array();
  }

  byte[] readExactly(int length) throws IOException {
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  /** The next frame, or null at end of stream. */
  RawFrame readFrame() throws IOException {
    int type;
    try {
      type = in.readUnsignedByte();
    } catch (EOFException e) {
      return null;
    }
    int channel = in.readUnsignedShort();
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    assertEquals(FRAME_END, in.readUnsignedByte(), "frame end");
    return new RawFrame(type, channel, payload);
  }

  RawFrame expectMethod(int classId, int methodId) throws IOException {
    RawFrame frame = readFrame();
    while (frame != null && frame.type() == HEARTBEAT) {
      frame = readFrame();
    }
    if (frame == null || !frame.isMethod(classId, methodId)) {
      throw new AssertionError(
          "expected method %d.%d, got %s"
              .formatted(classId, methodId, frame == null ? "end of stream" : describe(frame)));
    }
    return frame;
  }

  /** Reads up to the server's connection.close, skipping heartbeats and other frames. */
  Close expectConnectionClose() throws IOException {
    for (int i = 0; i < 1000; i++) {
      RawFrame frame = readFrame();
      if (frame == null) {
        throw new AssertionError("socket closed without connection.close");
      }
      if (frame.isMethod(10, 50)) {
        return closeOf(frame);
      }
    }
    throw new AssertionError("no connection.close within 1000 frames");
  }

  /** The next frame must be channel.close on {@code channel} (heartbeats aside). */
  Close expectChannelClose(int channel) throws IOException {
    RawFrame frame = expectMethod(20, 40);
    assertEquals(channel, frame.channel(), "channel of the channel.close");
    return closeOf(frame);
  }

  /** The arguments of a connection.close or channel.close frame. */
  static Close closeOf(RawFrame frame) {
    ByteBuffer args = ByteBuffer.wrap(frame.payload(), 4, frame.payload().length - 4);
    int code = args.getShort() & 0xFFFF;
    byte[] text = new byte[args.get() & 0xFF];
    args.get(text);
    return new Close(
        code,
        new String(text, StandardCharsets.UTF_8),
        args.getShort() & 0xFFFF,
        args.getShort() & 0xFFFF);
  }

  /** Whether the server closes the socket within {@code timeout}, ignoring what it still sends. */
  boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InputStream raw = socket.getInputStream();
    byte[] sink = new byte[4096];
    while (System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try {
        if (raw.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by peer counts as closed
      }
    }
    return false;
  }

  private static String describe(RawFrame frame) {
    if (frame.isMethod(10, 50) || frame.isMethod(20, 40)) {
      Close close = closeOf(frame);
      return "method %d.%d on channel %d: %d %s"
          .formatted(
              frame.classId(),
              frame.methodId(),
              frame.channel(),
              close.replyCode(),
              close.replyText());
    }
    return frame.type() == METHOD
        ? "method %d.%d on channel %d".formatted(frame.classId(), frame.methodId(), frame.channel())
        : "frame type %d on channel %d".formatted(frame.type(), frame.channel());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Method arguments in AMQP encoding. */
  static final class Args {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Args octet(int value) {
      bytes.write(value);
      return this;
    }

    Args shortInt(int value) {
      return octet(value >>> 8).octet(value);
    }

    Args longInt(int value) {
      return shortInt(value >>> 16).shortInt(value);
    }

    Args longLong(long value) {
      return longInt((int) (value >>> 32)).longInt((int) value);
    }

    Args shortString(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      octet(utf8.length);
      bytes.writeBytes(utf8);
      return this;
    }

    Args longString(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      longInt(utf8.length);
      bytes.writeBytes(utf8);
      return this;
    }

    /** An empty field table. */
    Args table() {
      return longInt(0);
    }

    /** Octets as they are, e.g. a hand-encoded field table. */
    Args raw(byte[] octets) {
      bytes.writeBytes(octets);
      return this;
    }

    byte[] bytes(Args tail) {
      bytes.writeBytes(tail.bytes.toByteArray());
      return bytes.toByteArray();
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }
}
