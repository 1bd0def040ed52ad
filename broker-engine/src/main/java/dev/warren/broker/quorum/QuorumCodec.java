package dev.warren.broker.quorum;

import dev.warren.broker.model.Message;
import dev.warren.broker.quorum.QuorumState.ConsumerState;
import dev.warren.broker.store.PayloadReader;
import dev.warren.broker.store.PayloadWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shard entries and snapshots as bytes, in the store's record encoding. Every node of a cluster
 * reads what any other wrote: a type letter is only ever added, never reused.
 */
public final class QuorumCodec {
  private QuorumCodec() {}

  public static byte[] encode(ShardEntry entry) {
    PayloadWriter out = new PayloadWriter();
    out.writeString(entry.queue().virtualHost()).writeString(entry.queue().name());
    out.writeString(entry.origin()).writeLong(entry.request()).writeLong(entry.now());
    ShardEntry.Command command = entry.command();
    if (command instanceof ShardEntry.Open open) {
      out.writeByte('O').writeTable(open.arguments());
    } else if (command instanceof ShardEntry.Close) {
      out.writeByte('C');
    } else if (command instanceof ShardEntry.NodeGone gone) {
      out.writeByte('Z').writeString(gone.node());
    } else {
      writeCommand(out, ((ShardEntry.ForQueue) command).command());
    }
    return Arrays.copyOf(out.array(), out.length());
  }

  public static ShardEntry decode(byte[] bytes) {
    PayloadReader in = new PayloadReader(ByteBuffer.wrap(bytes));
    QueueKey key = new QueueKey(in.readString(), in.readString());
    String origin = in.readString();
    long request = in.readLong();
    long now = in.readLong();
    int type = in.readByte();
    ShardEntry.Command command =
        switch (type) {
          case 'O' -> new ShardEntry.Open(in.readTable());
          case 'C' -> new ShardEntry.Close();
          case 'Z' -> new ShardEntry.NodeGone(in.readString());
          default -> new ShardEntry.ForQueue(readCommand(type, in));
        };
    return new ShardEntry(key, origin, request, now, command);
  }

  private static void writeCommand(PayloadWriter out, QuorumCommand command) {
    if (command instanceof QuorumCommand.Enqueue c) {
      writeMessage(out.writeByte(c.mayReject() ? 'E' : 'F'), c.message());
    } else if (command instanceof QuorumCommand.Checkout c) {
      writeConsumer(out.writeByte('K'), c.consumer());
      out.writeInt(c.prefetch()).writeByte(c.autoAck() ? 1 : 0);
    } else if (command instanceof QuorumCommand.Cancel c) {
      writeConsumer(out.writeByte('X'), c.consumer());
    } else if (command instanceof QuorumCommand.Settle c) {
      writeIds(writeConsumer(out.writeByte('S'), c.consumer()), c.ids());
    } else if (command instanceof QuorumCommand.Return c) {
      writeIds(writeConsumer(out.writeByte('R'), c.consumer()), c.ids());
    } else if (command instanceof QuorumCommand.Release c) {
      writeIds(writeConsumer(out.writeByte('L'), c.consumer()), c.ids());
    } else if (command instanceof QuorumCommand.Discard c) {
      writeIds(writeConsumer(out.writeByte('D'), c.consumer()), c.ids());
    } else if (command instanceof QuorumCommand.Dequeue c) {
      writeConsumer(out.writeByte('G'), c.getter()).writeByte(c.autoAck() ? 1 : 0);
    } else if (command instanceof QuorumCommand.Purge) {
      out.writeByte('P');
    } else if (command instanceof QuorumCommand.ChannelDown c) {
      out.writeByte('H').writeString(c.node()).writeLong(c.channel());
    } else if (command instanceof QuorumCommand.NodeDown c) {
      out.writeByte('N').writeString(c.node());
    } else if (command instanceof QuorumCommand.Tick) {
      out.writeByte('T');
    } else if (command instanceof QuorumCommand.Configure c) {
      writeSettings(out.writeByte('U'), c.settings());
    } else {
      throw new IllegalArgumentException("unknown quorum command " + command);
    }
  }

  private static QuorumCommand readCommand(int type, PayloadReader in) {
    return switch (type) {
      case 'E' -> new QuorumCommand.Enqueue(readMessage(in), true);
      case 'F' -> new QuorumCommand.Enqueue(readMessage(in), false);
      case 'K' -> new QuorumCommand.Checkout(readConsumer(in), in.readInt(), in.readByte() != 0);
      case 'X' -> new QuorumCommand.Cancel(readConsumer(in));
      case 'S' -> new QuorumCommand.Settle(readConsumer(in), readIds(in));
      case 'R' -> new QuorumCommand.Return(readConsumer(in), readIds(in));
      case 'L' -> new QuorumCommand.Release(readConsumer(in), readIds(in));
      case 'D' -> new QuorumCommand.Discard(readConsumer(in), readIds(in));
      case 'G' -> new QuorumCommand.Dequeue(readConsumer(in), in.readByte() != 0);
      case 'P' -> new QuorumCommand.Purge();
      case 'H' -> new QuorumCommand.ChannelDown(in.readString(), in.readLong());
      case 'N' -> new QuorumCommand.NodeDown(in.readString());
      case 'T' -> new QuorumCommand.Tick();
      case 'U' -> new QuorumCommand.Configure(readSettings(in));
      default -> throw new IllegalArgumentException("unknown quorum command type " + type);
    };
  }

  // --- snapshots: every queue of a shard with its whole state

  public static byte[] encodeStates(Map<QueueKey, QuorumState> states) {
    PayloadWriter out = new PayloadWriter();
    out.writeInt(states.size());
    states.forEach(
        (key, state) -> {
          out.writeString(key.virtualHost()).writeString(key.name());
          writeState(out, state);
        });
    return Arrays.copyOf(out.array(), out.length());
  }

  public static Map<QueueKey, QuorumState> decodeStates(byte[] bytes) {
    PayloadReader in = new PayloadReader(ByteBuffer.wrap(bytes));
    Map<QueueKey, QuorumState> states = new LinkedHashMap<>();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      states.put(new QueueKey(in.readString(), in.readString()), readState(in));
    }
    return states;
  }

  private static PayloadWriter writeSettings(PayloadWriter out, QuorumSettings s) {
    writeOptionalLong(out, s.maxLength());
    writeOptionalLong(out, s.maxLengthBytes());
    out.writeByte(s.rejectPublish() ? 1 : 0).writeByte(s.deadLetterRejected() ? 1 : 0);
    out.writeLong(s.deliveryLimit());
    writeOptionalLong(out, s.messageTtl());
    return out.writeByte(s.singleActiveConsumer() ? 1 : 0);
  }

  private static QuorumSettings readSettings(PayloadReader in) {
    return new QuorumSettings(
        readOptionalLong(in),
        readOptionalLong(in),
        in.readByte() != 0,
        in.readByte() != 0,
        in.readLong(),
        readOptionalLong(in),
        in.readByte() != 0);
  }

  private static void writeState(PayloadWriter out, QuorumState state) {
    writeSettings(out, state.settings);
    out.writeLong(state.nextId).writeLong(state.clock);
    writeMessages(out, state.returns.values());
    writeMessages(out, state.messages);
    out.writeInt(state.consumers.size());
    state.consumers.forEach(
        (key, consumer) -> {
          writeConsumer(out, key).writeInt(consumer.prefetch);
          out.writeByte(consumer.autoAck ? 1 : 0).writeByte(consumer.getter ? 1 : 0);
          out.writeByte(consumer.cancelled ? 1 : 0);
          writeMessages(out, consumer.held.values());
        });
    out.writeInt(state.serviceOrder.size());
    state.serviceOrder.forEach(key -> writeConsumer(out, key));
  }

  private static QuorumState readState(PayloadReader in) {
    QuorumState state = new QuorumState(readSettings(in));
    state.nextId = in.readLong();
    state.clock = in.readLong();
    for (QueuedMessage message : readMessages(in)) {
      state.returns.put(message.id(), message);
      state.readyBytes += message.size();
    }
    for (QueuedMessage message : readMessages(in)) {
      state.messages.addLast(message);
      state.readyBytes += message.size();
    }
    int consumers = in.readInt();
    for (int i = 0; i < consumers; i++) {
      ConsumerKey key = readConsumer(in);
      ConsumerState consumer =
          new ConsumerState(in.readInt(), in.readByte() != 0, in.readByte() != 0);
      consumer.cancelled = in.readByte() != 0;
      for (QueuedMessage held : readMessages(in)) {
        consumer.held.put(held.id(), held);
      }
      state.consumers.put(key, consumer);
    }
    int order = in.readInt();
    for (int i = 0; i < order; i++) {
      state.serviceOrder.addLast(readConsumer(in));
    }
    return state;
  }

  // --- parts

  private static void writeMessages(PayloadWriter out, java.util.Collection<QueuedMessage> all) {
    out.writeInt(all.size());
    for (QueuedMessage m : all) {
      out.writeLong(m.id()).writeInt(m.deliveryCount()).writeByte(m.delivered() ? 1 : 0);
      writeMessage(out.writeLong(m.expiresAt()), m.message());
    }
  }

  private static List<QueuedMessage> readMessages(PayloadReader in) {
    int count = in.readInt();
    List<QueuedMessage> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = in.readLong();
      int deliveryCount = in.readInt();
      boolean delivered = in.readByte() != 0;
      long expiresAt = in.readLong();
      messages.add(new QueuedMessage(id, readMessage(in), deliveryCount, delivered, expiresAt));
    }
    return messages;
  }

  private static PayloadWriter writeMessage(PayloadWriter out, Message message) {
    out.writeString(message.exchange()).writeString(message.routingKey());
    return out.writeProperties(message.properties()).writeBytes(message.body());
  }

  private static Message readMessage(PayloadReader in) {
    return new Message(in.readString(), in.readString(), in.readProperties(), in.readBytes());
  }

  private static PayloadWriter writeConsumer(PayloadWriter out, ConsumerKey key) {
    return out.writeString(key.node()).writeLong(key.channel()).writeString(key.tag());
  }

  private static ConsumerKey readConsumer(PayloadReader in) {
    return new ConsumerKey(in.readString(), in.readLong(), in.readString());
  }

  private static void writeIds(PayloadWriter out, List<Long> ids) {
    out.writeInt(ids.size());
    for (long id : ids) {
      out.writeLong(id);
    }
  }

  private static List<Long> readIds(PayloadReader in) {
    int count = in.readInt();
    List<Long> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(in.readLong());
    }
    return ids;
  }

  private static void writeOptionalLong(PayloadWriter out, Long value) {
    if (value == null) {
      out.writeByte(0);
    } else {
      out.writeByte(1).writeLong(value);
    }
  }

  private static Long readOptionalLong(PayloadReader in) {
    return in.readByte() == 0 ? null : in.readLong();
  }
}
