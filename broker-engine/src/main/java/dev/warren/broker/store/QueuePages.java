package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import dev.warren.broker.model.QueueEntry;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * A first-in first-out file of queue entries paged out of memory: appended at one end, read back
 * from the other, in page files that are deleted once read. Pages are scratch space, not a durable
 * record (persistent messages are in the segments too), so they are not fsynced and the store wipes
 * them at start. No file stays open between calls, so a deleted page frees its space at once and a
 * stopped broker leaves nothing open.
 *
 * <p>A persistent message whose record in its segment is durable is paged out by reference: the
 * page holds where the record is, not a second copy, and paging in reads the segment.
 *
 * <p>Every operation either completes or leaves the pages as they were: a batch that cannot be
 * written whole is cut off again, and a read that fails resumes at the record it failed on. Called
 * with the owning queue's lock held.
 */
final class QueuePages {
  private static final long PAGE_BYTES = 16L << 20;

  /** Free space pages never take: the message segments may need it more. */
  private static final long HEADROOM_BYTES = 1L << 20;

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final int MAX_KEPT_BUFFER_BYTES = 1 << 20;
  private static final int FULL = 'F';
  private static final int REFERENCE = 'R';

  /** An entry to page out, with the segment copy of its message if it has a durable one. */
  record Outgoing(QueueEntry entry, SegmentCopy copy) {
    boolean byReference() {
      return copy != null && copy.durable();
    }
  }

  private final Path directory;
  private final Path segmentDirectory;
  private final FileStore disk;
  private final PayloadWriter payload = new PayloadWriter();
  private final ArrayDeque<Page> pages = new ArrayDeque<>();
  private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private long readOffset;
  private int nextPage;

  /** A page file and how many of its bytes hold records (a failed batch may lie beyond). */
  private static final class Page {
    final Path path;
    long bytes;

    Page(Path path) {
      this.path = path;
    }
  }

  /**
   * @param directory this queue's page files
   * @param segmentDirectory where the segments of records paged out by reference are
   * @param disk the file system of both, whose last free megabyte pages leave alone
   */
  QueuePages(Path directory, Path segmentDirectory, FileStore disk) {
    this.directory = directory;
    this.segmentDirectory = segmentDirectory;
    this.disk = disk;
  }

  /**
   * Appends the entries, all or none. A batch that would leave less than a megabyte free is not
   * written at all: pages are optional, so they neither take the space a segment write needs nor
   * fill the disk (which would raise the disk alarm) with a write bound to fail.
   *
   * @throws IOException if they could not be written (the pages are then as before)
   */
  void write(List<Outgoing> entries) throws IOException {
    if (buffer.capacity() > MAX_KEPT_BUFFER_BYTES) {
      buffer = ByteBuffer.allocate(BUFFER_BYTES); // a large batch (after failures) was the last
    }
    buffer.clear();
    for (Outgoing outgoing : entries) {
      frame(outgoing);
    }
    buffer.flip();
    long free = disk.getUsableSpace();
    if (free - buffer.limit() < HEADROOM_BYTES) {
      throw new IOException(
          "no room for " + buffer.limit() + " bytes of pages: " + free + " bytes free");
    }
    boolean newPage = pages.isEmpty() || pages.getLast().bytes >= PAGE_BYTES;
    Page page =
        newPage
            ? new Page(directory.resolve(String.format("%08d.page", nextPage)))
            : pages.getLast();
    if (newPage) {
      Files.createDirectories(directory);
    }
    try (FileChannel out =
        FileChannel.open(page.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      out.position(page.bytes);
      try {
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      } catch (IOException e) {
        cutBack(out, page, newPage, e);
        throw e;
      }
    }
    if (newPage) {
      pages.addLast(page);
      nextPage++;
    }
    page.bytes += buffer.limit();
  }

  /** Gives back the space of a failed batch; if even that fails, the page's length ignores it. */
  private static void cutBack(FileChannel out, Page page, boolean newPage, IOException failure) {
    try {
      if (newPage) {
        Files.deleteIfExists(page.path);
      } else {
        out.truncate(page.bytes);
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private void frame(Outgoing outgoing) {
    QueueEntry entry = outgoing.entry();
    Message message = entry.message();
    payload.reset();
    payload.writeByte(outgoing.byReference() ? REFERENCE : FULL);
    payload.writeLong(entry.sequence()).writeLong(entry.expiresAt());
    payload.writeByte(entry.redelivered() ? 1 : 0).writeLong(message.storeId());
    if (outgoing.byReference()) {
      SegmentCopy copy = outgoing.copy();
      payload.writeLong(copy.segmentIndex()).writeLong(copy.offset()).writeInt(copy.length());
    } else {
      payload.writeString(message.exchange()).writeString(message.routingKey());
      payload.writeProperties(message.properties()).writeBytes(message.body());
    }
    int recordBytes = RecordFormat.HEADER_BYTES + payload.length();
    if (buffer.remaining() < recordBytes) {
      ByteBuffer larger =
          ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + recordBytes));
      buffer.flip();
      buffer = larger.put(buffer);
    }
    RecordFormat.frame(buffer, payload.array(), payload.length());
  }

  /**
   * Reads back up to {@code count} entries, oldest first, handing each to {@code sink}.
   *
   * @return how many were read
   * @throws IOException if a page could not be read; the entries read before the failure were
   *     handed over, and the next call starts at the one that failed
   */
  int read(int count, Consumer<QueueEntry> sink) throws IOException {
    try (SegmentReads segments = new SegmentReads(segmentDirectory)) {
      return readRecords(count, record -> sink.accept(record.entry(segments)));
    }
  }

  /** One page record, read as far as its common part; the rest only on request. */
  private static final class PageRecord {
    private final PayloadReader in;
    private final int type;
    private final long sequence;
    private final long expiresAt;
    private final boolean redelivered;
    private final long storeId;

    PageRecord(PayloadReader in) {
      this.in = in;
      this.type = in.readByte();
      this.sequence = in.readLong();
      this.expiresAt = in.readLong();
      this.redelivered = in.readByte() != 0;
      this.storeId = in.readLong();
    }

    QueueEntry entry(SegmentReads segments) throws IOException {
      Message message =
          type == REFERENCE
              ? segments.read(in.readLong(), in.readLong(), in.readInt(), storeId)
              : new Message(
                  in.readString(), in.readString(), in.readProperties(), in.readBytes(), storeId);
      return QueueEntry.pagedIn(message, sequence, expiresAt, redelivered);
    }
  }

  private interface RecordSink {
    void accept(PageRecord record) throws IOException;
  }

  /** Reads up to {@code count} records, oldest first, deleting each page once it is read. */
  private int readRecords(int count, RecordSink sink) throws IOException {
    int read = 0;
    while (read < count && !pages.isEmpty()) {
      Page page = pages.getFirst();
      if (readOffset < page.bytes) {
        try (FileChannel in = FileChannel.open(page.path, StandardOpenOption.READ)) {
          DataInputStream records =
              new DataInputStream(
                  new BufferedInputStream(
                      Channels.newInputStream(in.position(readOffset)), 1 << 16));
          while (read < count && readOffset < page.bytes) {
            readOffset += readRecord(records, sink);
            read++;
          }
        }
      }
      if (readOffset >= page.bytes) {
        if (pages.size() == 1) {
          return read; // caught up with the writer
        }
        Files.deleteIfExists(pages.pollFirst().path);
        readOffset = 0;
      }
    }
    return read;
  }

  /** Reads one record, hands it to {@code sink} and returns its length on disk. */
  private static int readRecord(DataInputStream in, RecordSink sink) throws IOException {
    if (in.readInt() != RecordFormat.MAGIC) {
      throw new IOException("damaged page record");
    }
    int length = in.readInt();
    in.readInt(); // checksum: pages never outlive the process that wrote them
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    sink.accept(new PageRecord(new PayloadReader(ByteBuffer.wrap(bytes))));
    return RecordFormat.HEADER_BYTES + length;
  }

  /**
   * Reads the store id of every remaining entry (for releasing stored copies; the messages
   * themselves are not read), then deletes the pages.
   */
  void drain(LongConsumer storeIds) throws IOException {
    try {
      readRecords(Integer.MAX_VALUE, record -> storeIds.accept(record.storeId));
    } finally {
      delete();
    }
  }

  /** Deletes every page. */
  void delete() throws IOException {
    pages.clear();
    readOffset = 0;
    if (Files.exists(directory)) {
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(directory);
    }
  }
}
