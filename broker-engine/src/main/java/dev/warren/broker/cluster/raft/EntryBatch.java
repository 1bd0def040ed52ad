package dev.warren.broker.cluster.raft;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Several entries carried by one Raft log entry (see {@link GroupCommit}). The states' own entries
 * start with the store encoding's int length or count, so their first byte is 0x00 (or 0xFF for
 * -1): a first byte of {@link #MARK} tells a batch apart, and a log written before batches existed
 * reads the same.
 */
final class EntryBatch {
  private static final byte MARK = 'B';

  private EntryBatch() {}

  /** One entry as it is, several framed as a batch. */
  static byte[] frame(List<byte[]> entries) {
    if (entries.size() == 1) {
      return entries.get(0);
    }
    int size = 1 + Integer.BYTES;
    for (byte[] entry : entries) {
      size += Integer.BYTES + entry.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).put(MARK).putInt(entries.size());
    for (byte[] entry : entries) {
      out.putInt(entry.length).put(entry);
    }
    return out.array();
  }

  /** Hands each entry a log entry carries to {@code apply}, in order. */
  static void forEach(byte[] logEntry, Consumer<byte[]> apply) {
    if (logEntry.length == 0 || logEntry[0] != MARK) {
      apply.accept(logEntry);
      return;
    }
    ByteBuffer in = ByteBuffer.wrap(logEntry, 1, logEntry.length - 1);
    int count = in.getInt();
    for (int i = 0; i < count; i++) {
      byte[] entry = new byte[in.getInt()];
      in.get(entry);
      apply.accept(entry);
    }
  }
}
