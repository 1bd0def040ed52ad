package dev.warren.broker.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The framing every store file uses: {@code magic(4) length(4) crc32c(4) payload(length)}. The
 * magic lets a reader find the next record after a damaged one; the checksum tells a damaged or
 * half-written record from a good one.
 */
final class RecordFormat {
  static final int MAGIC = 0x5752_4543; // "WREC"
  static final int HEADER_BYTES = 12;
  private static final System.Logger LOG = System.getLogger(RecordFormat.class.getName());

  private RecordFormat() {}

  /** Appends one framed record holding {@code payload[0..length)} to {@code out}. */
  static void frame(ByteBuffer out, byte[] payload, int length) {
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, length);
    out.putInt(MAGIC).putInt(length).putInt((int) crc.getValue()).put(payload, 0, length);
  }

  /** Receives the payload of each intact record, in file order. */
  interface Visitor {
    void record(ByteBuffer payload, long offset);
  }

  /**
   * Reads every intact record of {@code data}. A damaged record followed by intact ones is skipped
   * and logged with its location; damage with nothing intact after it is a torn tail.
   *
   * @return the offset just past the last intact record: everything after it is a torn tail
   */
  static int scan(Path file, ByteBuffer data, Visitor visitor) {
    int limit = data.limit();
    int position = 0;
    int validEnd = 0;
    while (position < limit) {
      if (isIntactAt(data, position)) {
        int length = data.getInt(position + 4);
        int start = position + HEADER_BYTES;
        visitor.record(data.duplicate().position(start).limit(start + length).slice(), position);
        position = start + length;
        validEnd = position;
        continue;
      }
      int next = nextIntact(data, position + 1);
      if (next < 0) {
        break;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "Store file {0}: skipped {1} damaged bytes at offset {2,number,#}",
          file,
          next - position,
          position);
      position = next;
    }
    return validEnd;
  }

  private static int nextIntact(ByteBuffer data, int from) {
    for (int i = from; i + HEADER_BYTES <= data.limit(); i++) {
      if (data.getInt(i) == MAGIC && isIntactAt(data, i)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isIntactAt(ByteBuffer data, int position) {
    if (data.limit() - position < HEADER_BYTES || data.getInt(position) != MAGIC) {
      return false;
    }
    int length = data.getInt(position + 4);
    int start = position + HEADER_BYTES;
    if (length < 0 || length > data.limit() - start) {
      return false;
    }
    CRC32C crc = new CRC32C();
    crc.update(data.duplicate().position(start).limit(start + length));
    return (int) crc.getValue() == data.getInt(position + 8);
  }
}
