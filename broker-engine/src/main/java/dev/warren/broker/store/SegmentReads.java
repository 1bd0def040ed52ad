package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads message records back from their segments by location, for a queue paging messages in that
 * it paged out by reference. One instance serves one page-in: it keeps the segments it opened (and
 * a read-ahead window, since a queue's messages tend to lie one after another) until closed, so no
 * file stays open once the page-in is done. The records it reads are durable and, being still
 * queued, keep their segment alive.
 */
final class SegmentReads implements AutoCloseable {
  private static final int WINDOW_BYTES = 64 * 1024;

  private final Path directory;
  private final Map<Long, FileChannel> open = new HashMap<>();
  private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
  private long windowSegment = -1;
  private long windowStart;

  SegmentReads(Path directory) {
    this.directory = directory;
  }

  /**
   * The message whose framed record of {@code length} bytes starts at {@code offset}.
   *
   * @throws IOException if it cannot be read or is not the record of message {@code id}
   */
  Message read(long segmentIndex, long offset, int length, long id) throws IOException {
    if (segmentIndex != windowSegment
        || offset < windowStart
        || offset + length > windowStart + window.limit()) {
      fill(segmentIndex, offset, length);
    }
    int start = (int) (offset - windowStart);
    ByteBuffer record = window.duplicate().position(start).limit(start + length).slice();
    int payloadLength = length - RecordFormat.HEADER_BYTES;
    if (record.getInt(0) != RecordFormat.MAGIC || record.getInt(4) != payloadLength) {
      throw new IOException(where(segmentIndex, offset) + " holds no record of that length");
    }
    ByteBuffer payload = record.position(RecordFormat.HEADER_BYTES).slice();
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    if ((int) crc.getValue() != record.getInt(8)) {
      throw new IOException(where(segmentIndex, offset) + " holds a damaged record");
    }
    MessageRecord message = MessageRecord.read(payload);
    if (message.id() != id) {
      throw new IOException(where(segmentIndex, offset) + " holds message " + message.id());
    }
    return message.message();
  }

  /** Reads from {@code offset} on into the window: at least the record, as much as fits. */
  private void fill(long segmentIndex, long offset, int length) throws IOException {
    if (window.capacity() < length) {
      window = ByteBuffer.allocate(length);
    }
    FileChannel channel = open.get(segmentIndex);
    if (channel == null) {
      Path file = directory.resolve(Segment.name(segmentIndex) + Segment.DATA_SUFFIX);
      channel = FileChannel.open(file, StandardOpenOption.READ);
      open.put(segmentIndex, channel);
    }
    windowSegment = -1; // until the read succeeds
    window.clear();
    while (window.position() < length) {
      if (channel.read(window, offset + window.position()) < 0) {
        throw new IOException(where(segmentIndex, offset) + " lies past the end of its segment");
      }
    }
    window.flip();
    windowSegment = segmentIndex;
    windowStart = offset;
  }

  private String where(long segmentIndex, long offset) {
    return directory.resolve(Segment.name(segmentIndex) + Segment.DATA_SUFFIX) + " at " + offset;
  }

  @Override
  public void close() {
    for (FileChannel channel : open.values()) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read only: nothing to lose
      }
    }
    open.clear();
  }
}
