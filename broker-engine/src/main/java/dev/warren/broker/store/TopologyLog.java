package dev.warren.broker.store;

import dev.warren.broker.store.StoredTopology.BindingRecord;
import dev.warren.broker.store.StoredTopology.ExchangeRecord;
import dev.warren.broker.store.StoredTopology.QueueRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The replayable log of durable topology changes ({@code topology.log}): one framed record per
 * declaration or deletion. Replaying it in order rebuilds {@link StoredTopology}; compacting it
 * rewrites the file as one declaration per live exchange, queue and binding.
 */
final class TopologyLog {
  private static final int DECLARE_EXCHANGE = 'E';
  private static final int DELETE_EXCHANGE = 'e';
  private static final int DECLARE_QUEUE = 'Q';
  private static final int DELETE_QUEUE = 'q';
  private static final int BIND = 'B';
  private static final int UNBIND = 'b';

  private TopologyLog() {}

  /** Replays the log; damaged records are skipped (and logged), a torn tail ignored. */
  static StoredTopology load(Path file) throws IOException {
    StoredTopology topology = new StoredTopology();
    if (!Files.exists(file)) {
      return topology;
    }
    ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file));
    RecordFormat.scan(file, data, (payload, offset) -> apply(topology, new PayloadReader(payload)));
    return topology;
  }

  private static void apply(StoredTopology topology, PayloadReader in) {
    int type = in.readByte();
    String virtualHost = in.readString();
    switch (type) {
      case DECLARE_EXCHANGE ->
          topology.putExchange(
              new ExchangeRecord(
                  virtualHost,
                  in.readString(),
                  in.readString(),
                  in.readByte() != 0,
                  in.readByte() != 0,
                  in.readTable()));
      case DELETE_EXCHANGE -> topology.removeExchange(virtualHost, in.readString());
      case DECLARE_QUEUE -> {
        String name = in.readString();
        int id = in.readInt();
        topology.putQueue(new QueueRecord(virtualHost, name, id, in.readTable()));
      }
      case DELETE_QUEUE -> topology.removeQueue(virtualHost, in.readString());
      case BIND -> topology.putBinding(readBinding(virtualHost, in));
      case UNBIND -> topology.removeBinding(readBinding(virtualHost, in));
      default -> throw new IllegalStateException("unknown topology record type " + type);
    }
  }

  private static BindingRecord readBinding(String virtualHost, PayloadReader in) {
    return new BindingRecord(
        virtualHost,
        in.readString(),
        in.readByte() != 0,
        in.readString(),
        in.readString(),
        in.readTable());
  }

  static byte[] declareExchange(ExchangeRecord e) {
    PayloadWriter out = start(DECLARE_EXCHANGE, e.virtualHost());
    out.writeString(e.name()).writeString(e.type());
    out.writeByte(e.autoDelete() ? 1 : 0).writeByte(e.internal() ? 1 : 0);
    return framed(out.writeTable(e.arguments()));
  }

  static byte[] deleteExchange(String virtualHost, String name) {
    return framed(start(DELETE_EXCHANGE, virtualHost).writeString(name));
  }

  static byte[] declareQueue(QueueRecord q) {
    PayloadWriter out = start(DECLARE_QUEUE, q.virtualHost()).writeString(q.name());
    return framed(out.writeInt(q.id()).writeTable(q.arguments()));
  }

  static byte[] deleteQueue(String virtualHost, String name) {
    return framed(start(DELETE_QUEUE, virtualHost).writeString(name));
  }

  static byte[] bind(BindingRecord b) {
    return binding(BIND, b);
  }

  static byte[] unbind(BindingRecord b) {
    return binding(UNBIND, b);
  }

  private static byte[] binding(int type, BindingRecord b) {
    PayloadWriter out = start(type, b.virtualHost()).writeString(b.source());
    out.writeByte(b.toQueue() ? 1 : 0).writeString(b.destination()).writeString(b.routingKey());
    return framed(out.writeTable(b.arguments()));
  }

  private static PayloadWriter start(int type, String virtualHost) {
    PayloadWriter out = new PayloadWriter();
    return out.writeByte(type).writeString(virtualHost);
  }

  private static byte[] framed(PayloadWriter out) {
    ByteBuffer buffer = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + out.length());
    RecordFormat.frame(buffer, out.array(), out.length());
    return buffer.array();
  }

  /**
   * Replaces the log with one record per live item, atomically (write, fsync, rename). If that
   * fails, the log is untouched and the temporary file is gone.
   */
  static void compact(Path file, StoredTopology topology) throws IOException {
    StoredTopology.Snapshot snapshot = topology.snapshot();
    rewrite(
        file,
        out -> {
          for (ExchangeRecord exchange : snapshot.exchanges()) {
            writeFully(out, declareExchange(exchange));
          }
          for (QueueRecord queue : snapshot.queues()) {
            writeFully(out, declareQueue(queue));
          }
          for (BindingRecord binding : snapshot.bindings()) {
            writeFully(out, bind(binding));
          }
        });
  }

  /** What a rewrite puts into the new file. */
  interface Contents {
    void writeTo(FileChannel out) throws IOException;
  }

  /** Replaces a file atomically: writes a sibling, forces it, renames it over the file. */
  static void rewrite(Path file, Contents contents) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        contents.writeTo(out);
        out.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException cannotDelete) {
        e.addSuppressed(cannotDelete);
      }
      throw e;
    }
  }

  static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
