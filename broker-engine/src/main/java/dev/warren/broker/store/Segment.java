package dev.warren.broker.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One message segment file ({@code NNNNNNNNNN.seg}) and its ack file ({@code NNNNNNNNNN.ack}). It
 * counts its live references (message × queue pairs not yet acknowledged): at zero, once no longer
 * written to, both files are deleted. Used by the store thread only.
 */
final class Segment {
  static final String DATA_SUFFIX = ".seg";
  static final String ACK_SUFFIX = ".ack";

  private final long index;
  private final Path data;
  private final Path acks;
  private long live;
  private FileChannel ackChannel;
  private long ackBytes;
  private boolean acksDirty;

  Segment(Path directory, long index) {
    this.index = index;
    this.data = directory.resolve(name(index) + DATA_SUFFIX);
    this.acks = directory.resolve(name(index) + ACK_SUFFIX);
  }

  static String name(long index) {
    return String.format("%010d", index);
  }

  long index() {
    return index;
  }

  Path data() {
    return data;
  }

  Path acks() {
    return acks;
  }

  void addLive(long count) {
    live += count;
  }

  long live() {
    return live;
  }

  /**
   * Appends one framed record of acks. If that fails the file is cut back to where the record
   * began, so a retry leaves no torn record in the middle of it.
   */
  void appendAcks(byte[] framed) throws IOException {
    FileChannel channel = ackChannel();
    try {
      TopologyLog.writeFully(channel, framed);
    } catch (IOException e) {
      try {
        channel.truncate(ackBytes);
      } catch (IOException cannotCut) {
        // Left torn: recovery skips a damaged record. Reopened for the next append.
        e.addSuppressed(cannotCut);
        closeAcks();
      }
      throw e;
    }
    ackBytes += framed.length;
    acksDirty = true;
  }

  /** Forces the ack file if something was appended since (a new descriptor forces it too). */
  void forceAcks() throws IOException {
    if (acksDirty) {
      ackChannel().force(false);
      acksDirty = false;
    }
  }

  private FileChannel ackChannel() throws IOException {
    if (ackChannel == null) {
      ackChannel =
          FileChannel.open(
              acks, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      ackBytes = ackChannel.size();
    }
    return ackChannel;
  }

  private void closeAcks() {
    try {
      ackChannel.close();
    } catch (IOException ignored) {
      // nothing was pending on it that a close could save
    }
    ackChannel = null;
  }

  /** Closes the ack file and deletes both files: every message in them is settled. */
  void delete() throws IOException {
    if (ackChannel != null) {
      ackChannel.close();
      ackChannel = null;
    }
    Files.deleteIfExists(data);
    Files.deleteIfExists(acks);
  }

  void close() throws IOException {
    if (ackChannel != null) {
      forceAcks();
      ackChannel.close();
      ackChannel = null;
    }
  }
}
