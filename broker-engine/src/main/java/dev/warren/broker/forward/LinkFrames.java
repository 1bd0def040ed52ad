package dev.warren.broker.forward;

import dev.warren.broker.model.Message;
import dev.warren.broker.store.PayloadReader;
import dev.warren.broker.store.PayloadWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The link between two cluster nodes: length-prefixed frames, each an operation code and its fields
 * in the store's payload format ({@link PayloadWriter}: strings, numbers, field tables, message
 * properties). A forwarding node sends requests; the node that owns the queues answers them and
 * sends deliveries and confirms. Either side sends {@link #PING} when it has been quiet for a
 * second and drops a link silent for {@link #SILENCE_SECONDS}.
 */
final class LinkFrames {
  private LinkFrames() {}

  // forwarding node -> owner
  static final byte HELLO = 1; // cluster name, node id
  static final byte PUBLISH = 2; // id, vhost, queues, exchange, routing key, properties, body
  static final byte CONSUME = 3; // id, vhost, queue, sub, prefetch, noAck, exclusive, arguments
  static final byte SETTLE = 4; // vhost, sub (0: basic.get), tag, settlement
  static final byte CANCEL = 5; // id, sub
  static final byte RELEASE = 6; // sub: its channel closes, what it holds goes back
  static final byte GET = 7; // id, vhost, queue, noAck
  static final byte COUNT = 8; // id, vhost, queue
  static final byte PURGE = 9; // id, vhost, queue
  static final byte DELETE = 10; // id, vhost, queue, ifUnused, ifEmpty

  // owner -> forwarding node
  static final byte DONE = 20; // id, count, count
  static final byte FAILED = 21; // id, reply code, reply text
  static final byte GOT = 22; // id, tag, redelivered, remaining, exchange, key, properties, body
  static final byte CONFIRMED = 23; // ack, ids
  static final byte DELIVER = 24; // sub, tag, redelivered, exchange, key, properties, body
  static final byte CANCELLED = 25; // sub

  static final byte PING = 30;

  /** Settlements in SETTLE. */
  static final byte ACK = 0;

  static final byte REQUEUE = 1;
  static final byte DISCARD = 2;
  static final byte PUT_BACK = 3; // the client never saw it: back as it was

  /** RabbitMQ's largest message (128 MiB) and room for its properties. */
  private static final int MAX_FRAME = 136 * 1024 * 1024;

  static final int SILENCE_SECONDS = 6;

  private static final ThreadLocal<PayloadWriter> WRITERS =
      ThreadLocal.withInitial(PayloadWriter::new);

  /** Frames, keep-alive and {@code handler}, on a new link's channel. */
  static void install(ChannelPipeline pipeline, io.netty.channel.ChannelHandler handler) {
    pipeline
        .addLast("frames", new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4))
        .addLast("length", new LengthFieldPrepender(4))
        .addLast("idle", new IdleStateHandler(SILENCE_SECONDS, 1, 0, TimeUnit.SECONDS))
        .addLast("link", handler);
  }

  /** Writes one frame; safe from any thread (Netty queues writes in call order). */
  static void send(Channel channel, Consumer<PayloadWriter> fields) {
    PayloadWriter writer = WRITERS.get();
    writer.reset();
    fields.accept(writer);
    ByteBuf frame = channel.alloc().buffer(writer.length());
    frame.writeBytes(writer.array(), 0, writer.length());
    channel.writeAndFlush(frame, channel.voidPromise());
  }

  /**
   * A message's exchange, routing key, properties and body, as PUBLISH, GOT and DELIVER carry it.
   */
  static void writeMessage(PayloadWriter w, Message message) {
    w.writeString(message.exchange())
        .writeString(message.routingKey())
        .writeProperties(message.properties())
        .writeBytes(message.body());
  }

  static Message readMessage(PayloadReader in) {
    return new Message(in.readString(), in.readString(), in.readProperties(), in.readBytes());
  }

  /** The fields of a received frame (copied: the reader outlives the buffer). */
  static PayloadReader read(ByteBuf frame) {
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    return new PayloadReader(ByteBuffer.wrap(bytes));
  }
}
